/** Quotes `word` for a POSIX shell: inside single quotes, where only `'` needs care. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** A batch script: its `#SBATCH` lines, folder and command. */
export interface JobScript {
  /** Options after `#SBATCH` (validated by slurm-options.ts), one per line. */
  sbatch: string[];
  /** Folder the command runs in (relative paths in the config start there). */
  cwd: string;
  /** The command's words, each quoted. */
  command: string[];
  /** For a job array of this many tasks: appends `--shard $SLURM_ARRAY_TASK_ID/<count>`. */
  shardCount?: number;
}

/**
 * The text of a batch script. Job name and log paths are not in it: they go on sbatch's command
 * line as separate arguments, so no path needs quoting inside an `#SBATCH` line.
 */
export function renderJobScript(job: JobScript): string {
  const shard = job.shardCount === undefined ? '' : ` --shard "$SLURM_ARRAY_TASK_ID/${job.shardCount}"`;
  return [
    '#!/bin/bash',
    '# Written by xling (--executor slurm); submitted with sbatch, rewritten on every submission.',
    ...job.sbatch.map((option) => `#SBATCH ${option}`),
    'set -eu',
    `cd ${shellQuote(job.cwd)}`,
    `exec ${job.command.map(shellQuote).join(' ')}${shard}`,
    '',
  ].join('\n');
}
