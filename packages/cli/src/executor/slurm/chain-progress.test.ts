import { describe, expect, it } from 'vitest';
import { chainProgress } from './chain-progress.js';
import { arraySpec } from './submit-chain.js';

const jobs = [
  { id: '11', name: 'extract-shards', command: ['extract'], array: { count: 4, tasks: [0, 2] }, gpus: true },
  { id: '12', name: 'extract', command: ['extract'], gpus: false },
  {
    id: '13',
    name: 'probe-shards',
    command: ['probe'],
    array: { count: 4, tasks: [0, 1, 2, 3] },
    gpus: false,
  },
  { id: '14', name: 'probe', command: ['probe'], gpus: false },
];

describe('chain progress', () => {
  it('names the first job still queued, whether it runs, and the array tasks ended', () => {
    const line = (entries: [string, string[]][]) => chainProgress(jobs, new Map(entries));
    expect(
      line([
        ['11', ['PENDING', 'PENDING']],
        ['12', ['PENDING']],
      ]),
    ).toBe('xling: jobs ended 0/4; extract-shards (job 11) pending, 0/2 tasks ended');
    expect(
      line([
        ['12', ['RUNNING']],
        ['13', ['PENDING']],
      ]),
    ).toBe('xling: jobs ended 1/4; extract (job 12) running');
    expect(
      line([
        ['13', ['PENDING', 'RUNNING', 'RUNNING']],
        ['14', ['PENDING']],
      ]),
    ).toBe('xling: jobs ended 2/4; probe-shards (job 13) running, 1/4 tasks ended');
    // Between two tasks (the next one not started yet) the array still runs.
    expect(
      line([
        ['13', ['PENDING']],
        ['14', ['PENDING']],
      ]),
    ).toBe('xling: jobs ended 2/4; probe-shards (job 13) running, 3/4 tasks ended');
    expect(line([])).toBe('xling: jobs ended 4/4');
  });

  it('arraySpec writes runs of tasks as ranges, as sbatch --array takes them', () => {
    expect(arraySpec([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(arraySpec([3])).toBe('3');
  });
});
