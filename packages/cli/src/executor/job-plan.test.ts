import { describe, expect, it } from 'vitest';
import { type ChainInput, LATER_SHARDS_CAP, type PlannedJob, planChain } from './job-plan.js';

/** `n` extraction units `u0..`, the ones in `missing` not done. */
const units = (n: number, missing: number[] = []) =>
  Array.from({ length: n }, (_, i) => ({ id: `u${String(i).padStart(2, '0')}`, done: !missing.includes(i) }));

const plan = (input: Partial<ChainInput>) =>
  planChain({ command: 'run', until: 'all', units: units(6), ungathered: false, icl: false, ...input });

/** A job as `name[count:tasks]+gpu`, to compare chains at a glance. */
const brief = (job: PlannedJob) =>
  `${job.name}${job.array ? `[${job.array.count}:${job.array.tasks.join(',')}]` : ''}${job.gpus ? '+gpu' : ''}`;

describe('planChain', () => {
  it('run: extraction array, gather, then an array per stage and the run; GPUs to the extraction', () => {
    const jobs = plan({ units: units(6, [0, 1, 2, 3, 4, 5]) });
    expect(jobs.map(brief)).toEqual([
      'extract-shards[6:0,1,2,3,4,5]+gpu',
      'extract',
      'probe-shards[6:0,1,2,3,4,5]',
      'meta-train-shards[6:0,1,2,3,4,5]',
      'run-shards[6:0,1,2,3,4,5]',
      'run',
    ]);
    expect(jobs.map((job) => job.command.join(' '))).toEqual([
      'extract',
      'extract',
      'probe',
      'meta train',
      'run',
      'run',
    ]);
  });

  it('--shards sizes every array; the extraction array holds only the shards with missing units', () => {
    // Sorted u00..u05 dealt to 4 shards: u01 -> 1, u05 -> 1, u03 -> 3.
    const jobs = plan({ command: 'eval', units: units(6, [1, 3, 5]), shards: 4 });
    expect(jobs.map(brief)).toEqual([
      'extract-shards[4:1,3]+gpu',
      'extract',
      'probe-shards[4:0,1,2,3]',
      'meta-train-shards[4:0,1,2,3]',
      'eval-shards[4:0,1,2,3]',
      'eval',
    ]);
  });

  it('later arrays default to one task per extraction unit, at most LATER_SHARDS_CAP', () => {
    const jobs = plan({ command: 'probe', until: 'probes', units: units(20, [0]) });
    expect(jobs.map((job) => job.array?.count)).toEqual([20, undefined, LATER_SHARDS_CAP, undefined]);
  });

  it('with the extraction done and gathered, the chain starts at the probes', () => {
    expect(plan({ command: 'align', until: 'alignability' }).map(brief)).toEqual([
      'probe-shards[6:0,1,2,3,4,5]',
      'align-shards[6:0,1,2,3,4,5]',
      'align',
    ]);
    expect(plan({ command: 'meta train', until: 'meta', shards: 2 }).map(brief)).toEqual([
      'probe-shards[2:0,1]',
      'meta-train-shards[2:0,1]',
      'meta-train',
    ]);
  });

  it('gathers units finished but not yet in the store, without an extraction array', () => {
    expect(plan({ command: 'probe', until: 'probes', ungathered: true, shards: 1 }).map(brief)).toEqual([
      'extract',
      'probe-shards[1:0]',
      'probe',
    ]);
  });

  it('extract: its array and the gather, or nothing when all is done and gathered', () => {
    const extract = { command: 'extract', until: 'extract' as const };
    expect(plan({ ...extract, units: units(6, [2]), shards: 3 }).map(brief)).toEqual([
      'extract-shards[3:2]+gpu',
      'extract',
    ]);
    expect(plan({ ...extract, ungathered: true }).map(brief)).toEqual(['extract']);
    expect(plan(extract)).toEqual([]);
  });

  it('with an icl section, the run/eval shards (the ICL runs) get GPUs, the final job does not', () => {
    expect(plan({ icl: true, shards: 2 }).map(brief)).toEqual([
      'probe-shards[2:0,1]',
      'meta-train-shards[2:0,1]',
      'run-shards[2:0,1]+gpu',
      'run',
    ]);
    expect(plan({ command: 'meta train', until: 'meta', icl: true }).some((job) => job.gpus)).toBe(false);
  });

  it('icl: an array of ICL shards (the decoder: GPUs) and the unsharded icl, no extraction', () => {
    const jobs = plan({ command: 'icl', until: 'icl', units: [], shards: 3 });
    expect(jobs.map(brief)).toEqual(['icl-shards[3:0,1,2]+gpu', 'icl']);
  });
});
