import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress-bar.js';

function sink(isTTY: boolean, columns = 100) {
  let text = '';
  return { output: { write: (t: string) => (text += t), isTTY, columns }, text: () => text };
}

describe('createProgressBar', () => {
  it('createProgressBar(tty) redraws one bar line with rate and ETA and ends it with a newline', () => {
    let t = 0;
    const { output, text } = sink(true);
    const bar = createProgressBar(output, { now: () => t });
    bar.onProgress({ status: 'start', task: 'download', label: 'ud.tgz', total: 1_000_000, unit: 'byte' });
    t = 1000;
    bar.onProgress({
      status: 'progress',
      task: 'download',
      label: 'ud.tgz',
      done: 250_000,
      total: 1_000_000,
      unit: 'byte',
      metrics: { bytesPerSecond: 250_000, etaSeconds: 3 },
    });
    t = 4000;
    bar.onProgress({
      status: 'end',
      task: 'download',
      label: 'ud.tgz',
      done: 1_000_000,
      total: 1_000_000,
      unit: 'byte',
    });
    const frames = text().split('\r\x1b[K').filter(Boolean);
    expect(frames[1]).toMatch(
      /^download ud\.tgz {2}\[#+-+\] {2} 25% {2}250 kB\/1\.0 MB {2}250 kB\/s {2}ETA 3s$/,
    );
    expect(frames[2]).toMatch(/100% {2}1\.0 MB\/1\.0 MB .* in 4s\n$/);
  });

  it('createProgressBar(tty) skips redraws closer than intervalMs', () => {
    const t = 0;
    const { output, text } = sink(true);
    const bar = createProgressBar(output, { now: () => t, intervalMs: 100 });
    bar.onProgress({ status: 'start', task: 'x', total: 10, unit: 'file' });
    for (let i = 1; i < 10; i++)
      bar.onProgress({ status: 'progress', task: 'x', done: i, total: 10, unit: 'file' });
    expect(text().split('\r').length - 1).toBe(1);
    bar.finish();
    expect(text().endsWith('\n')).toBe(true);
  });

  it('createProgressBar(pipe) writes plain lines: start, each tenth, end', () => {
    const { output, text } = sink(false);
    const bar = createProgressBar(output);
    bar.onProgress({ status: 'start', task: 'ud-stats', total: 100, unit: 'file' });
    for (let i = 1; i <= 100; i++)
      bar.onProgress({ status: 'progress', task: 'ud-stats', done: i, total: 100, unit: 'file' });
    bar.onProgress({ status: 'end', task: 'ud-stats', done: 100, total: 100, unit: 'file' });
    const lines = text().trimEnd().split('\n');
    expect(lines[0]).toBe('ud-stats: started (100 files)');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toMatch(/^ud-stats +10% {2}10\/100 files/);
    expect(lines.at(-1)).toMatch(/100% {2}100\/100 files .*: done$/);
    expect(text()).not.toContain('\r');
  });

  it('createProgressBar(tty reporting 0 columns) draws whole lines, as for an unknown width', () => {
    const { output, text } = sink(true, 0);
    const bar = createProgressBar(output, { now: () => 0 });
    bar.onProgress({ status: 'start', task: 'extract', label: 'UD_English-EWT', total: 4, unit: 'treebank' });
    const frame = text().split('\r\x1b[K').filter(Boolean)[0]!;
    expect(frame).toMatch(/^extract UD_English-EWT .*0\/4/);
    expect(frame).not.toContain('…');
  });
});
