import { SBATCH_OPTION, SLURM_WORD } from '@xling/eval';
import type { CommandOptions } from '../../commands/command.js';
import { UsageError } from '../../usage-error.js';
import { LATER_SHARDS_CAP } from '../job-plan.js';
import type { SlurmResources } from './job-resources.js';

/** What `--executor slurm` submits with: the sharding and the `#SBATCH` resources. */
export interface SlurmSettings {
  /** Tasks of every job array; by default one per extraction unit (job-plan.ts caps the later ones). */
  shards?: number;
  /** Return after submitting instead of waiting for the jobs. */
  wait: boolean;
  /** Seconds between two looks at `squeue` and the store while waiting. */
  pollSeconds: number;
  /** The `--slurm-*` and `--sbatch` flags: over the config's `slurm` section for every job (job-resources.ts). */
  resources: SlurmResources;
}

/** The executor options every stage command but `icl` takes. */
export const EXECUTOR_OPTIONS: CommandOptions = {
  executor: {
    type: 'string',
    valueName: 'local|slurm',
    description:
      "'slurm': submit a job array per sharded stage, each after the one before, then this command (default local); #SBATCH resources from the config's slurm section, the --slurm-* flags over it",
  },
  shards: {
    type: 'string',
    valueName: 'n',
    description: `with slurm: tasks of each job array (default: one per extraction unit; later stages at most ${LATER_SHARDS_CAP})`,
  },
  'no-wait': { type: 'boolean', description: 'with slurm: print the job ids and return without waiting' },
  'slurm-partition': { type: 'string', valueName: 'name', description: 'with slurm: partition of every job' },
  'slurm-time': {
    type: 'string',
    valueName: 'limit',
    description: 'with slurm: time limit of each job (e.g. 04:00:00)',
  },
  'slurm-cpus': { type: 'string', valueName: 'n', description: 'with slurm: CPUs per task of every job' },
  'slurm-mem': {
    type: 'string',
    valueName: 'size',
    description: 'with slurm: memory of each job (e.g. 32G)',
  },
  'slurm-gpus': {
    type: 'string',
    valueName: 'n',
    description: 'with slurm: GPUs per task of the jobs that run a model (--gpus-per-task): see below',
  },
  sbatch: {
    type: 'string',
    multiple: true,
    valueName: 'option',
    description:
      "with slurm: an extra '#SBATCH <option>' line for every job (repeatable), e.g. --sbatch=--account=lab",
  },
  'slurm-poll': {
    type: 'string',
    valueName: 'seconds',
    description: 'with slurm: seconds between progress checks (default 10)',
  },
};

type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

function positiveInteger(values: Values, name: string, command: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${name} must be a positive integer, but got '${String(value)}'.`, command);
  }
  return n;
}

/** A value that goes into a `#SBATCH` line: one line, no shell or comment characters needed. */
function sbatchValue(values: Values, name: string, command: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !SLURM_WORD.test(value)) {
    throw new UsageError(
      `--${name} must be one word of letters, digits and . : = , @ / + -, but got '${String(value)}'.`,
      command,
    );
  }
  return value;
}

/**
 * The Slurm settings of `values`, or undefined for the local executor.
 * @throws UsageError for an unknown executor, a Slurm option without `--executor slurm`, or a bad value.
 */
export function parseSlurmSettings(values: Values, command: string): SlurmSettings | undefined {
  const executor = values.executor ?? 'local';
  if (executor !== 'local' && executor !== 'slurm') {
    throw new UsageError(`--executor must be 'local' or 'slurm', but got '${String(executor)}'.`, command);
  }
  const slurmOnly = Object.keys(EXECUTOR_OPTIONS).filter(
    (name) => name !== 'executor' && values[name] !== undefined,
  );
  if (executor === 'local') {
    if (slurmOnly.length > 0) throw new UsageError(`--${slurmOnly[0]} needs --executor slurm.`, command);
    return undefined;
  }
  const resources: SlurmResources = {};
  const set = (key: 'partition' | 'time' | 'cpus' | 'mem' | 'gpus', name: string) => {
    const value = sbatchValue(values, name, command);
    if (value !== undefined) resources[key] = value;
  };
  set('partition', 'slurm-partition');
  set('time', 'slurm-time');
  set('cpus', 'slurm-cpus');
  set('mem', 'slurm-mem');
  set('gpus', 'slurm-gpus');
  const sbatch = (values.sbatch as string[] | undefined) ?? [];
  const bad = sbatch.find((extra) => !SBATCH_OPTION.test(extra));
  if (bad !== undefined) {
    throw new UsageError(
      `--sbatch must be one sbatch option such as --account=lab, but got '${bad}'.`,
      command,
    );
  }
  if (sbatch.length > 0) resources.sbatch = sbatch;
  return {
    ...(values.shards === undefined ? {} : { shards: positiveInteger(values, 'shards', command) }),
    wait: values['no-wait'] !== true,
    pollSeconds: positiveInteger(values, 'slurm-poll', command) ?? 10,
    resources,
  };
}
