// The harness must be able to see what it checks for, or every hostile test would pass vacuously.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_FAILURE, errorCode, hostileVerdict, runHostile } from './run-hostile.js';

let sandbox: string;
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'xling-hostile-self-'));
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

describe('runHostile', () => {
  it('reports a file written outside the writable folders, and the peak memory', {
    timeout: 30_000,
  }, async () => {
    const run = await runHostile(['config', 'init', 'sub/x.yaml'], { sandbox, writable: ['out'] });
    expect(run.status).toBe(0);
    expect(run.outside).toEqual(['sub', 'sub/x.yaml']);
    expect(run.peakRssMiB).toBeGreaterThan(10);
    expect(hostileVerdict(run)).not.toEqual(CLEAN_FAILURE);
  });

  it('reads the code of a failure and kills a run past its timeout', { timeout: 30_000 }, async () => {
    const failed = await runHostile(['extract', 'missing.yaml'], { sandbox });
    expect(failed.status).toBe(1);
    expect(errorCode(failed)).toBe('XLING_CONFIG');
    const slow = await runHostile(['extract', 'missing.yaml'], { sandbox, timeoutMs: 1 });
    expect(slow.timedOut).toBe(true);
    expect(slow.status).toBeNull();
  });
});
