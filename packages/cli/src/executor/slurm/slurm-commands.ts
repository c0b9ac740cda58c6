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

/** The ids (array job id for array tasks) of the jobs still in the queue, among `ids`. */
export async function queuedJobs(ids: string[], env: NodeJS.ProcessEnv): Promise<Set<string>> {
  const out = await slurm('squeue', ['--noheader', '--format=%F'], env);
  return new Set(
    out
      .split('\n')
      .map((line) => line.trim())
      .filter((id) => ids.includes(id)),
  );
}

/** A finished job's state (`COMPLETED`, `FAILED`, `CANCELLED`, ...), if Slurm still knows it. */
export async function jobState(id: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const out = await slurm('scontrol', ['--oneliner', 'show', 'job', id], env);
    return /\bJobState=(\S+)/.exec(out)?.[1];
  } catch {
    // Purged after MinJobAge: the caller judges by the outputs instead.
    return undefined;
  }
}
