import { describe, expect, it } from 'vitest';
import { parseSlurmSettings } from './slurm-options.js';

describe('parseSlurmSettings', () => {
  it("is undefined for the local executor and collects the Slurm options' resources", () => {
    expect(parseSlurmSettings({}, 'run')).toBeUndefined();
    expect(
      parseSlurmSettings(
        {
          executor: 'slurm',
          shards: '8',
          'no-wait': true,
          'slurm-partition': 'gpu',
          'slurm-time': '04:00:00',
          'slurm-gpus': '1',
          sbatch: ['--account=lab'],
        },
        'run',
      ),
    ).toEqual({
      shards: 8,
      wait: false,
      pollSeconds: 10,
      resources: { partition: 'gpu', time: '04:00:00', gpus: '1', sbatch: ['--account=lab'] },
    });
  });

  it.each([
    [{ executor: 'kubernetes' }, /--executor must be 'local' or 'slurm'/],
    [{ 'slurm-partition': 'gpu' }, /--slurm-partition needs --executor slurm/],
    [{ executor: 'slurm', shards: '0' }, /--shards must be a positive integer/],
    [{ executor: 'slurm', 'slurm-partition': 'gpu\n#SBATCH --x' }, /--slurm-partition must be one word/],
    [{ executor: 'slurm', sbatch: ['; rm -rf /'] }, /--sbatch must be one sbatch option/],
  ])('%o is a usage error', (values, message) => {
    expect(() => parseSlurmSettings(values, 'run')).toThrow(
      expect.objectContaining({ code: 'XLING_USAGE', message: expect.stringMatching(message) }),
    );
  });
});
