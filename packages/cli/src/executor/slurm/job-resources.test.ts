import { describe, expect, it } from 'vitest';
import { type SlurmConfig, jobResources } from './job-resources.js';

const extractArray = { command: ['extract'], gpus: true };
const gather = { command: ['extract'], gpus: false };
const metaArray = { command: ['meta', 'train'], gpus: false };
const probe = { command: ['probe'], gpus: false };

const config: SlurmConfig = {
  partition: 'cpu',
  time: '01:00:00',
  mem: '8G',
  gpus: 1,
  sbatch: ['--account=lab'],
  stages: {
    extract: { partition: 'gpu', time: 240, sbatch: ['--constraint=a100'] },
    'meta-train': { cpus: 8, mem: 32000, gpus: 'a100:2' },
  },
};

describe('jobResources(job, config, flags)', () => {
  it('takes the defaults, then the stage entry (array and unsharded job alike), then the flags; extra lines concatenated', () => {
    const flags = { time: '02:00:00', sbatch: ['--qos=long'] };
    expect(jobResources(extractArray, config, flags)).toEqual([
      '--partition=gpu',
      '--time=02:00:00',
      '--mem=8G',
      '--gpus-per-task=1',
      '--account=lab',
      '--constraint=a100',
      '--qos=long',
    ]);
    expect(jobResources(gather, config, flags)).toEqual([
      '--partition=gpu',
      '--time=02:00:00',
      '--mem=8G',
      '--account=lab',
      '--constraint=a100',
      '--qos=long',
    ]);
    expect(jobResources(probe, config, {})).toEqual([
      '--partition=cpu',
      '--time=01:00:00',
      '--mem=8G',
      '--account=lab',
    ]);
  });

  it("gives the defaults' and the flags' GPUs to the jobs that run a model only, a stage entry's to its jobs", () => {
    expect(jobResources(metaArray, config, {})).toEqual([
      '--partition=cpu',
      '--time=01:00:00',
      '--cpus-per-task=8',
      '--mem=32000',
      '--gpus-per-task=a100:2',
      '--account=lab',
    ]);
    expect(jobResources(probe, config, { gpus: '4' })).not.toContainEqual(expect.stringMatching(/gpus/));
    expect(jobResources(extractArray, config, { gpus: '4' })).toContain('--gpus-per-task=4');
  });

  it('without a slurm section, the flags alone (as before the section existed)', () => {
    const flags = { partition: 'gpu', cpus: '4', gpus: '1', sbatch: ['--account=lab'] };
    expect(jobResources(extractArray, undefined, flags)).toEqual([
      '--partition=gpu',
      '--cpus-per-task=4',
      '--gpus-per-task=1',
      '--account=lab',
    ]);
    expect(jobResources(gather, undefined, flags)).toEqual([
      '--partition=gpu',
      '--cpus-per-task=4',
      '--account=lab',
    ]);
    expect(jobResources(gather, undefined, {})).toEqual([]);
  });
});
