import { execFile } from 'node:child_process';
import { XlingError } from '@xling/core';

/** Runs a Slurm client with an argument array (no shell) and returns its stdout. */
async function slurm(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new XlingError(
          'XLING_SLURM',
          missing
            ? `'${program}' was not found on PATH: run on a Slurm login node, or use --executor local.`
            : `'${program} ${args.join(' ')}' failed: ${stderr.trim() || error.message}`,
        ),
      );
    });
  });
}

/** Submits `script` with `sbatch --parsable` and `options` before it; returns the job id. */
export async function sbatch(script: string, options: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const out = await slurm('sbatch', ['--parsable', ...options, script], env);
  const id = /^(\d+)/.exec(out.trim())?.[1];
  if (id === undefined)
    throw new XlingError('XLING_SLURM', `sbatch answered '${out.trim()}' instead of a job id.`);
  return id;
}

/** The states of the queued jobs among `ids` (one per array task), by job id (array job id for tasks). */
export async function queuedJobs(ids: string[], env: NodeJS.ProcessEnv): Promise<Map<string, string[]>> {
  // --array: one line per array task, pending ones included (else a pending range is one line).
  const out = await slurm('squeue', ['--noheader', '--array', '--format=%F %T'], env);
  const queued = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id === undefined || state === undefined || !ids.includes(id)) continue;
    queued.set(id, [...(queued.get(id) ?? []), state]);
  }
  return queued;
}

/** A record of a finished job or array task: its task (an index, or a range never started) and state. */
export interface JobRecord {
  task?: string;
  state: string;
}

/**
 * The records of job `id` (`COMPLETED`, `FAILED`, `CANCELLED`, ...; one per array task), if Slurm
 * still knows it.
 */
export async function jobRecords(id: string, env: NodeJS.ProcessEnv): Promise<JobRecord[] | undefined> {
  let out: string;
  try {
    out = await slurm('scontrol', ['--oneliner', 'show', 'job', id], env);
  } catch {
    // Purged after MinJobAge: the caller judges by the outputs instead.
    return undefined;
  }
  const records: JobRecord[] = [];
  for (const line of out.split('\n')) {
    const state = /\bJobState=(\S+)/.exec(line)?.[1];
    const task = /\bArrayTaskId=(\S+)/.exec(line)?.[1];
    if (state !== undefined) records.push(task === undefined ? { state } : { task, state });
  }
  return records;
}
