import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '@xling/core';
import {
  type ExperimentConfig,
  type UnitStatus,
  extractionStatus,
  runLayout,
  shardOfUnit,
} from '@xling/eval';
import type { CliIo } from '../../cli-io.js';
import { type JobScript, renderJobScript } from './job-script.js';
import { jobState, queuedJobs, sbatch } from './slurm-commands.js';
import type { SlurmSettings } from './slurm-options.js';
import { xlingBin } from './xling-bin.js';

/** What to run on Slurm: a stage command and the arguments every job passes it. */
export interface SlurmRun {
  config: ExperimentConfig;
  /** Absolute path of the config file. */
  configPath: string;
  /** Folder the jobs run in: the command's working folder. */
  cwd: string;
  /** The stage command's words, e.g. `['align']`; for `extract` no job follows the array. */
  command: string[];
  /** Arguments after the config for every job: `--out`, `--ud-dir`, `--threads`. */
  args: string[];
  settings: SlurmSettings;
}

/** The jobs of one submission. */
interface Submitted {
  array?: { id: string; tasks: number[] };
  final?: { id: string; log: string };
  logs: string;
}

const countDone = (units: UnitStatus[]) => units.filter((unit) => unit.done).length;

/**
 * Submits the missing extraction units as a job array (`--shard $SLURM_ARRAY_TASK_ID/N`) and the
 * stage command as a job after it (`afterok`), then waits for them showing progress from the
 * store, unless `settings.wait` is off. Returns 0 when everything finished; else 1 after naming the
 * failed tasks' logs (a re-submission runs only what is missing).
 */
export async function runOnSlurm(run: SlurmRun, io: CliIo): Promise<number> {
  const env = { ...process.env, ...io.env };
  const units = await extractionStatus(run.config);
  const submitted = await submit(run, units, env);
  const ids = [submitted.array?.id, submitted.final?.id].filter((id): id is string => id !== undefined);
  io.stdout.write(`${ids.map((id) => `Submitted job ${id}`).join('\n')}\nLogs: ${submitted.logs}\n`);
  if (!run.settings.wait || ids.length === 0) return 0;
  let shown = -1;
  while ((await queuedJobs(ids, env)).size > 0) {
    const done = countDone(await extractionStatus(run.config));
    if (done !== shown) io.stderr.write(`xling: extraction units done: ${done}/${units.length}\n`);
    shown = done;
    await sleep(run.settings.pollSeconds * 1000, undefined, io.signal ? { signal: io.signal } : {});
  }
  return report(run, submitted, env, io);
}

/** Writes the job scripts into `<runDir>/slurm/` and submits what is missing. */
async function submit(run: SlurmRun, units: UnitStatus[], env: NodeJS.ProcessEnv): Promise<Submitted> {
  const dir = join(runLayout(run.config).runDir, 'slurm');
  const logs = join(dir, 'logs');
  const xling = [process.execPath, xlingBin()];
  const count = run.settings.shards ?? units.length;
  const tasks = [...new Set(units.filter((u) => !u.done).map((u) => shardOfUnit(units, u.id, count)))].sort(
    (a, b) => a - b,
  );
  const write = async (name: string, job: JobScript) => {
    const path = join(dir, name);
    await writeFileAtomic(path, renderJobScript(job));
    return path;
  };
  // Slurm opens the log files before the job starts, and fails the job when their folder is missing.
  await mkdir(logs, { recursive: true });
  const submitted: Submitted = { logs };
  const common = { cwd: run.cwd };
  if (tasks.length > 0) {
    const script = await write('extract.sh', {
      ...common,
      sbatch: run.settings.extract,
      command: [...xling, 'extract', run.configPath, ...run.args],
      shardCount: count,
    });
    const options = [
      '--job-name=xling-extract',
      `--array=${tasks.join(',')}`,
      `--output=${join(logs, 'extract-%A_%a.log')}`,
    ];
    submitted.array = { id: await sbatch(script, options, env), tasks };
  }
  if (run.command[0] !== 'extract') {
    const name = run.command.join('-');
    const script = await write(`${name}.sh`, {
      ...common,
      sbatch: run.settings.rest,
      command: [...xling, ...run.command, run.configPath, ...run.args],
    });
    const after = submitted.array
      ? [`--dependency=afterok:${submitted.array.id}`, '--kill-on-invalid-dep=yes']
      : [];
    const id = await sbatch(
      script,
      [`--job-name=xling-${name}`, `--output=${join(logs, `${name}-%j.log`)}`, ...after],
      env,
    );
    submitted.final = { id, log: join(logs, `${name}-${id}.log`) };
  }
  return submitted;
}

/** After the jobs left the queue: names the shards whose units are missing and a failed final job. */
async function report(
  run: SlurmRun,
  submitted: Submitted,
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  const units = await extractionStatus(run.config);
  const count = run.settings.shards ?? units.length;
  const failed = new Set(units.filter((u) => !u.done).map((u) => shardOfUnit(units, u.id, count)));
  const lines = [`xling: extraction units done: ${countDone(units)}/${units.length}`];
  for (const task of [...failed].sort((a, b) => a - b)) {
    const log = join(submitted.logs, `extract-${submitted.array?.id}_${task}.log`);
    lines.push(
      `xling: array task ${submitted.array?.id}_${task} (shard ${task}/${count}) did not finish its units; log: ${log}`,
    );
  }
  const final = submitted.final;
  const state = final ? await jobState(final.id, env) : undefined;
  if (final && state !== 'COMPLETED') {
    lines.push(
      `xling: job ${final.id} (${run.command.join(' ')}) ended ${state ?? 'in an unknown state'}; log: ${final.log}`,
    );
  }
  const ok = failed.size === 0 && (final === undefined || state === 'COMPLETED');
  if (!ok) lines.push('xling: re-submit the same command to run only what is missing.');
  io.stderr.write(`${lines.join('\n')}\n`);
  if (ok && final) io.stdout.write(`Done: job ${final.id} finished; its output: ${final.log}\n`);
  return ok ? 0 : 1;
}
