import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@xling/core';
import type { ExperimentConfig } from '@xling/eval';
import type { PlannedJob } from '../job-plan.js';
import { jobResources } from './job-resources.js';
import { renderJobScript } from './job-script.js';
import { sbatch } from './slurm-commands.js';
import type { SlurmSettings } from './slurm-options.js';
import { xlingBin } from './xling-bin.js';

/** How every job of a chain runs xling. */
export interface ChainContext {
  config: ExperimentConfig;
  /** Absolute path of the config file. */
  configPath: string;
  /** Folder the jobs run in: the command's working folder. */
  cwd: string;
  /** Arguments after the config for every job: `--out`, `--ud-dir`, `--threads`. */
  args: string[];
  settings: SlurmSettings;
  /** Where the scripts go (`<runDir>/slurm`); the logs go to its `logs/`. */
  dir: string;
  /** The environment of the Slurm clients. */
  env: NodeJS.ProcessEnv;
}

/** A submitted job of the chain. */
export interface SubmittedJob extends PlannedJob {
  id: string;
}

/** Tasks as `--array` takes them: `0-2,5` for 0, 1, 2, 5. */
export function arraySpec(tasks: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < tasks.length; ) {
    let j = i;
    while (j + 1 < tasks.length && tasks[j + 1] === tasks[j]! + 1) j++;
    runs.push(i === j ? `${tasks[i]}` : `${tasks[i]}-${tasks[j]}`);
    i = j + 1;
  }
  return runs.join(',');
}

/** The command a job runs, for people: `probe --shard i/8`, `run`. */
export function jobLabel(job: PlannedJob, task = 'i'): string {
  return `${job.command.join(' ')}${job.array ? ` --shard ${task}/${job.array.count}` : ''}`;
}

/** The log sbatch's `--output` gives job `job` (array task `task`). */
export function logOf(logs: string, job: SubmittedJob, task?: string): string {
  return join(logs, task === undefined ? `${job.name}-${job.id}.log` : `${job.name}-${job.id}_${task}.log`);
}

/**
 * Writes each job's script into `context.dir` (`<name>.sh`) and submits them in order, each after
 * the one before (`afterok`; Slurm cancels the rest of the chain when one fails).
 */
export async function submitChain(context: ChainContext, jobs: PlannedJob[]): Promise<SubmittedJob[]> {
  const { config, configPath, cwd, args, settings, dir, env } = context;
  const logs = join(dir, 'logs');
  // Slurm opens the log files before the job starts, and fails the job when their folder is missing.
  await mkdir(logs, { recursive: true });
  const xling = [process.execPath, xlingBin()];
  const submitted: SubmittedJob[] = [];
  for (const job of jobs) {
    const script = join(dir, `${job.name}.sh`);
    // The jobs without a GPU run no model (the ones before them did it all): no CUDA session there.
    const device = job.gpus ? config.device : 'cpu';
    await writeFileAtomic(
      script,
      renderJobScript({
        sbatch: jobResources(job, config.slurm, settings.resources),
        cwd,
        command: [...xling, ...job.command, configPath, ...args, '--device', device],
        ...(job.array ? { shardCount: job.array.count } : {}),
      }),
    );
    const previous = submitted.at(-1);
    const options = [
      `--job-name=xling-${job.name}`,
      ...(job.array
        ? [`--array=${arraySpec(job.array.tasks)}`, `--output=${join(logs, `${job.name}-%A_%a.log`)}`]
        : [`--output=${join(logs, `${job.name}-%j.log`)}`]),
      ...(previous ? [`--dependency=afterok:${previous.id}`, '--kill-on-invalid-dep=yes'] : []),
    ];
    submitted.push({ ...job, id: await sbatch(script, options, env) });
  }
  return submitted;
}
