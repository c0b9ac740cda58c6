import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from './progress-event.js';
import { throttleProgress } from './throttle-progress.js';

describe('throttleProgress(callback, intervalMs, now)', () => {
  it('passes start/end always and progress at most once per interval (and the last one)', () => {
    const seen: ProgressEvent[] = [];
    let t = 0;
    const report = throttleProgress(
      (e) => seen.push(e),
      100,
      () => t,
    );
    report({ status: 'start', task: 'x', total: 10 });
    for (let done = 1; done <= 10; done++) {
      t += 30;
      report({ status: 'progress', task: 'x', done, total: 10 });
    }
    report({ status: 'end', task: 'x' });
    const progress = seen.filter((e) => e.status === 'progress').map((e) => (e as { done: number }).done);
    expect(progress).toEqual([1, 5, 9, 10]);
    expect(seen[0].status).toBe('start');
    expect(seen.at(-1)?.status).toBe('end');
  });
});
