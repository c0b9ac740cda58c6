import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ExperimentConfig, extractionStatus, runLayout } from '@xling/eval';
import type { CliIo } from '../../cli-io.js';
import { chainProgress, unitsLine } from './chain-progress.js';
import { chainOutcome } from './chain-report.js';
import { chainInput } from '../chain-input.js';
import { type ChainStage, EXTRACTION_ARRAY, planChain } from '../job-plan.js';
import { queuedJobs } from './slurm-commands.js';
import type { SlurmSettings } from './slurm-options.js';
import { type SubmittedJob, arraySpec, jobLabel, logOf, submitChain } from './submit-chain.js';

/** What to run on Slurm: a stage command and the arguments every job passes it. */
export interface SlurmRun {
  config: ExperimentConfig;
  /** Absolute path of the config file. */
  configPath: string;
  /** Folder the jobs run in: the command's working folder. */
  cwd: string;
  /** The stage command's name, e.g. `meta train`. */
  command: string;
  /** The stage it stops after: which arrays come before its own (job-plan.ts). */
  until: ChainStage;
  /** Arguments after the config for every job: `--out`, `--ud-dir`, `--threads` (not `--device`). */
  args: string[];
  settings: SlurmSettings;
}

/** `Submitted job 12: probe --shard i/8, tasks 0-7` per job. */
function submittedLines(jobs: SubmittedJob[]): string {
  const tasks = (job: SubmittedJob) => (job.array ? `, tasks ${arraySpec(job.array.tasks)}` : '');
  return jobs.map((job) => `Submitted job ${job.id}: ${jobLabel(job)}${tasks(job)}\n`).join('');
}

/**
 * Submits the chain of job arrays of `run.command` (job-plan.ts) and waits for it, showing the
 * extraction units done and where the chain is, unless `settings.wait` is off. Returns 0 when
 * every job finished; else 1 after naming the failed tasks' logs (a re-submission runs only what
 * is missing).
 */
export async function runOnSlurm(run: SlurmRun, io: CliIo): Promise<number> {
  const { config, settings } = run;
  const env = { ...process.env, ...io.env };
  const planned = planChain(await chainInput(config, run.command, run.until, settings.shards));
  if (planned.length === 0) {
    io.stdout.write('Nothing to submit: every extraction unit is done and in the store.\n');
    return 0;
  }
  const dir = join(runLayout(config).runDir, 'slurm');
  const logs = join(dir, 'logs');
  const jobs = await submitChain({ ...run, dir, env }, planned);
  io.stdout.write(`${submittedLines(jobs)}Logs: ${logs}\n`);
  if (!settings.wait) return 0;
  const extraction = jobs.find((job) => job.name === EXTRACTION_ARRAY);
  const shown = { units: '', chain: '' };
  const show = (key: keyof typeof shown, line: string) => {
    if (line !== shown[key]) io.stderr.write(`${line}\n`);
    shown[key] = line;
  };
  const ids = jobs.map((job) => job.id);
  for (;;) {
    const queued = await queuedJobs(ids, env);
    if (queued.size === 0) break;
    if (extraction && queued.has(extraction.id)) show('units', unitsLine(await extractionStatus(config)));
    show('chain', chainProgress(jobs, queued));
    await sleep(settings.pollSeconds * 1000, undefined, io.signal ? { signal: io.signal } : {});
  }
  const outcome = await chainOutcome({ jobs, logs, units: await extractionStatus(config), env });
  io.stderr.write(`${outcome.lines.join('\n')}\n`);
  const last = jobs.at(-1)!;
  if (outcome.ok) io.stdout.write(`Done: job ${last.id} finished; its output: ${logOf(logs, last)}\n`);
  return outcome.ok ? 0 : 1;
}
