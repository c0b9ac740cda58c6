import type { ExperimentConfig } from '@xling/eval';
import type { PlannedJob } from '../job-plan.js';

/** The config's `slurm` section: defaults for every job, then entries per stage. */
export type SlurmConfig = NonNullable<ExperimentConfig['slurm']>;

/** `#SBATCH` resources: the config's defaults, a stage entry of it, or the `--slurm-*` flags. */
export interface SlurmResources {
  partition?: string;
  time?: string | number;
  cpus?: string | number;
  mem?: string | number;
  gpus?: string | number;
  /** Options of extra `#SBATCH` lines. */
  sbatch?: readonly string[];
}

type Stage = keyof NonNullable<SlurmConfig['stages']>;

const FLAGS = [
  ['partition', '--partition'],
  ['time', '--time'],
  ['cpus', '--cpus-per-task'],
  ['mem', '--mem'],
  ['gpus', '--gpus-per-task'],
] as const;

/**
 * The `#SBATCH` lines of `job`: each resource from the flags, else from the config's entry for the
 * job's stage (`meta-train` for `meta train`; its array and its unsharded job alike), else from the
 * config's defaults; the extra lines of all three, in that order. The defaults' and the flags' GPUs
 * go only to the jobs that run a model, a stage entry's to that stage's jobs.
 */
export function jobResources(
  job: Pick<PlannedJob, 'command' | 'gpus'>,
  config: SlurmConfig | undefined,
  flags: SlurmResources,
): string[] {
  const stage = config?.stages?.[job.command.join('-') as Stage];
  const layers: SlurmResources[] = [
    { ...config, gpus: job.gpus ? config?.gpus : undefined },
    stage ?? {},
    { ...flags, gpus: job.gpus ? flags.gpus : undefined },
  ];
  const lines: string[] = [];
  for (const [key, flag] of FLAGS) {
    const value = layers.reduce<string | number | undefined>(
      (found, layer) => layer[key] ?? found,
      undefined,
    );
    if (value !== undefined) lines.push(`${flag}=${value}`);
  }
  return [...lines, ...layers.flatMap((layer) => layer.sbatch ?? [])];
}
