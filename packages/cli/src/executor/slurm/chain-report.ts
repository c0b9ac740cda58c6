import { existsSync } from 'node:fs';
import type { UnitStatus } from '@xling/eval';
import { unitsLine } from './chain-progress.js';
import { EXTRACTION_ARRAY, missingShards } from '../job-plan.js';
import { type JobRecord, jobRecords } from './slurm-commands.js';
import { type SubmittedJob, arraySpec, jobLabel, logOf } from './submit-chain.js';

/** The chain after its jobs left the queue, and where their logs are. */
export interface EndedChain {
  jobs: SubmittedJob[];
  logs: string;
  /** The extraction units as the store has them now. */
  units: UnitStatus[];
  env: NodeJS.ProcessEnv;
}

/** What the chain ended as: whether all went well, and the lines for stderr. */
export interface ChainOutcome {
  ok: boolean;
  lines: string[];
}

const done = (records: JobRecord[] | undefined) =>
  records !== undefined && records.length > 0 && records.every((r) => r.state === 'COMPLETED');

/** The tasks of an `ArrayTaskId` as scontrol writes it: `3`, `0-3`, `1,4-7:2`, `0-9%2`. */
export function tasksOf(spec: string): number[] {
  return spec
    .replace(/%\d+$/, '')
    .split(',')
    .flatMap((part) => {
      const [from, to = from, step = '1'] = part.split(/[-:]/);
      const tasks: number[] = [];
      for (let t = Number(from); t <= Number(to); t += Number(step)) tasks.push(t);
      return tasks;
    });
}

/**
 * Lines for what of `job` did not complete, skipping the tasks in `named`: each task (or the job)
 * with its log, or that it never started; array tasks Slurm forgot (a pending task cancelled
 * alone leaves no record) as cancelled before they started.
 */
function jobLines(chain: EndedChain, job: SubmittedJob, records: JobRecord[], named: Set<number>): string[] {
  const lines: string[] = [];
  const seen = new Set(records.flatMap((r) => (r.task === undefined ? [] : tasksOf(r.task))));
  for (const { task, state } of records) {
    if (state === 'COMPLETED' || (task !== undefined && named.has(Number(task)))) continue;
    if (job.array && !/^\d+$/.test(task ?? '')) {
      lines.push(
        `xling: array ${job.id} tasks ${task} (${jobLabel(job)}) ended ${state} before they started`,
      );
      continue;
    }
    const log = logOf(chain.logs, job, task);
    const what = task === undefined ? `job ${job.id}` : `array task ${job.id}_${task}`;
    const where = existsSync(log) ? `; log: ${log}` : ' before it started';
    lines.push(`xling: ${what} (${jobLabel(job, task)}) ended ${state}${where}`);
  }
  const forgotten = (job.array?.tasks ?? []).filter((t) => !seen.has(t) && !named.has(t));
  if (forgotten.length > 0) {
    lines.push(
      `xling: array ${job.id} tasks ${arraySpec(forgotten)} (${jobLabel(job)}) were cancelled before they started`,
    );
  }
  return lines;
}

/**
 * Judges the chain by its last job (it ran only if every job before it completed) and the
 * extraction units; on failure names the extraction shards with missing units and every task or
 * job Slurm still knows that did not complete, each with its log. A job purged from Slurm's memory
 * (MinJobAge) ended long before the others, so it completed, or the chain stopped there.
 */
export async function chainOutcome(chain: EndedChain): Promise<ChainOutcome> {
  const { jobs, logs, units, env } = chain;
  const lines = [unitsLine(units)];
  const extraction = jobs.find((job) => job.name === EXTRACTION_ARRAY);
  const missing = new Set(extraction?.array ? missingShards(units, extraction.array.count) : []);
  for (const task of extraction ? [...missing].map(String) : []) {
    const what = `${extraction!.id}_${task} (${jobLabel(extraction!, task)})`;
    lines.push(`xling: array task ${what} did not finish its units; log: ${logOf(logs, extraction!, task)}`);
  }
  const last = jobs.at(-1)!;
  const records = new Map(
    await Promise.all(jobs.map(async (job) => [job, await jobRecords(job.id, env)] as const)),
  );
  const ok = missing.size === 0 && done(records.get(last));
  if (ok) return { ok, lines };
  for (const [job, known] of records) {
    if (known) lines.push(...jobLines(chain, job, known, job === extraction ? missing : new Set()));
    else if (job === last) {
      lines.push(
        `xling: job ${job.id} (${jobLabel(job)}) ended in an unknown state; log: ${logOf(logs, job)}`,
      );
    }
  }
  lines.push('xling: re-submit the same command to run only what is missing.');
  return { ok, lines };
}
