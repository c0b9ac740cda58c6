import type { UnitStatus } from '@xling/eval';
import type { SubmittedJob } from './submit-chain.js';

/** `xling: extraction units done: k/n`. */
export function unitsLine(units: readonly UnitStatus[]): string {
  return `xling: extraction units done: ${units.filter((unit) => unit.done).length}/${units.length}`;
}

/**
 * One line on where the chain is, from squeue's states of the queued jobs (one per array task):
 * how many jobs left the queue and the first one still in it, e.g.
 * `xling: jobs ended 2/6; probe-shards (job 125) running, 1/8 tasks ended`. Each job waits for
 * the one before, so that one is the job running or next to run; a job (array) runs from its first
 * task's start on.
 */
export function chainProgress(jobs: readonly SubmittedJob[], queued: ReadonlyMap<string, string[]>): string {
  const at = jobs.findIndex((job) => queued.has(job.id));
  if (at < 0) return `xling: jobs ended ${jobs.length}/${jobs.length}`;
  const job = jobs[at]!;
  const states = queued.get(job.id)!;
  const total = job.array?.tasks.length ?? 1;
  const ended = total - states.length;
  const state = ended > 0 || states.some((s) => s !== 'PENDING') ? 'running' : 'pending';
  const tasks = job.array ? `, ${ended}/${total} tasks ended` : '';
  return `xling: jobs ended ${at}/${jobs.length}; ${job.name} (job ${job.id}) ${state}${tasks}`;
}
