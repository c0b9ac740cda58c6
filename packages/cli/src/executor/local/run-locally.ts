import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type ExperimentConfig, runExperiment, runLayout } from '@xling/eval';
import type { CliIo } from '../../cli-io.js';
import { executeExperiment } from '../../experiment/execute-experiment.js';
import { formatDuration } from '../../output/format.js';
import { chainInput } from '../chain-input.js';
import { type ChainStage, EXTRACTION_ARRAY, type PlannedJob, planChain } from '../job-plan.js';
import { xlingBin } from '../slurm/xling-bin.js';

/** A stage command to run as shards in worker processes on this machine. */
export interface LocalRun {
  config: ExperimentConfig;
  /** Absolute path of a config file the workers load (the same config, hence the same run). */
  configPath: string;
  /** The stage command's name, e.g. `meta train`. */
  command: string;
  until: ChainStage;
  /** Arguments after the config for every worker: `--out`, `--ud-dir`, `--device`. */
  args: string[];
  /** Worker processes at a time (>= 2). */
  workers: number;
}

/** The workers of `config.workers` (0: one per core). */
export function workerCount(config: ExperimentConfig): number {
  return config.workers > 0 ? config.workers : availableParallelism();
}

/**
 * Runs a stage command with `run.workers` processes side by side: the chain of sharded stages that
 * `--executor slurm` submits (job-plan.ts), its later arrays merged into one ({@link localChain}),
 * each array as `workers` processes of `xling <stage> --shard i/N`, then the command itself in this process,
 * which assembles the stage and the report from the units (byte for byte what one process writes,
 * docs/scale.md). Each worker gets an equal share of the onnxruntime threads and a log under
 * `<runDir>/local/logs/`. Returns 1 after naming the failed workers' logs.
 */
export async function runLocally(run: LocalRun, io: CliIo): Promise<number> {
  const { config, workers } = run;
  const planned = localChain(planChain(await chainInput(config, run.command, run.until, workers)));
  const local = join(runLayout(config).runDir, 'local');
  const logs = join(local, 'logs');
  mkdirSync(logs, { recursive: true });
  // Fresh claims for this invocation: a unit claimed by a killed earlier run is claimed again.
  const claims = mkdtempSync(join(local, 'claims-'));
  const threads = Math.max(1, Math.floor((config.threads || availableParallelism()) / workers));
  try {
    for (const job of planned.slice(0, -1)) {
      if (!job.array) {
        // The gather between the extraction shards and the rest: moves the units into the store.
        await runExperiment(config, { until: 'extract', ...(io.signal ? { signal: io.signal } : {}) });
        continue;
      }
      const failed = await runArray(run, job, { logs, threads, claims }, io);
      if (failed.length > 0) {
        io.stderr.write(`${failed.join('\n')}\nxling: rerun the same command: finished units are kept.\n`);
        return 1;
      }
    }
  } finally {
    rmSync(claims, { recursive: true, force: true });
  }
  return executeExperiment(config, run.until, io);
}

/**
 * The chain on one machine: for `xling extract`, the extraction array and the gather as on Slurm;
 * for a later stage, one array whose shards claim the units of every stage up to it (extraction
 * included) first come (`--claims`), then the command itself, which gathers and assembles. One
 * array per stage with round-robin shares would make every shard wait for the slowest at each
 * stage, and each stage's processes read the data and load the model anew.
 */
export function localChain(planned: PlannedJob[]): PlannedJob[] {
  const last = planned.filter((job) => job.array).at(-1);
  if (!last || last.name === EXTRACTION_ARRAY) return planned;
  return [last, planned.at(-1) as PlannedJob];
}

/** One stage's shards, all at once; returns a line per failed worker. */
async function runArray(
  run: LocalRun,
  job: PlannedJob,
  { logs, threads, claims }: { logs: string; threads: number; claims: string },
  io: CliIo,
): Promise<string[]> {
  const { count, tasks } = job.array!;
  const started = Date.now();
  let ended = 0;
  io.stderr.write(`xling: ${job.command.join(' ')}: ${tasks.length} worker processes (--shard i/${count})\n`);
  const logOf = (task: number) => join(logs, `${job.name}-${task}.log`);
  const watch = watchLogs(
    tasks.map((task) => [`${task}/${count}`, logOf(task)] as const),
    io,
  );
  const outcomes = await Promise.all(
    tasks.map(async (task) => {
      const log = logOf(task);
      const args = [...job.command, run.configPath, ...run.args, '--threads', String(threads)];
      const shard = [
        '--shard',
        `${task}/${count}`,
        ...(job.name === EXTRACTION_ARRAY ? [] : ['--claims', claims]),
      ];
      const code = await spawnWorker([...args, ...shard], log, io);
      ended += 1;
      const elapsed = formatDuration((Date.now() - started) / 1000);
      io.stderr.write(`xling: ${job.name}: ${ended}/${tasks.length} workers done (${elapsed})\n`);
      return code === 0 ? undefined : failure(job, task, count, code, log);
    }),
  );
  clearInterval(watch);
  return outcomes.filter((line): line is string => line !== undefined);
}

/** Seconds between two looks at the workers' logs. */
const WATCH_SECONDS = 10;

/**
 * Relays each worker's latest progress line (its progress bar writes a line at every tenth of a
 * task, with the rate and ETA) when it changed, every {@link WATCH_SECONDS}.
 */
function watchLogs(logs: ReadonlyArray<readonly [string, string]>, io: CliIo): NodeJS.Timeout {
  const shown = new Map<string, string>();
  const timer = setInterval(() => {
    for (const [shard, log] of logs) {
      const last = existsSync(log) ? (readFileSync(log, 'utf8').trim().split('\n').at(-1) ?? '') : '';
      if (last === '' || shown.get(shard) === last) continue;
      shown.set(shard, last);
      io.stderr.write(`  [shard ${shard}] ${last}\n`);
    }
  }, WATCH_SECONDS * 1000);
  timer.unref();
  return timer;
}

/** Runs `xling <args>` in a child process with its output in `log`; resolves to its exit code. */
function spawnWorker(args: string[], log: string, io: CliIo): Promise<number> {
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [xlingBin(), ...args], {
    cwd: io.cwd,
    env: { ...process.env, ...io.env },
    stdio: ['ignore', out, out],
  });
  const stop = () => child.kill('SIGINT');
  io.signal?.addEventListener('abort', stop, { once: true });
  return new Promise((resolve) => {
    child.on('error', () => resolve(127));
    child.on('close', (code) => {
      io.signal?.removeEventListener('abort', stop);
      resolve(code ?? 1);
    });
  });
}

/** `xling: worker probe --shard 1/2 failed (exit 1); log: ...`, with the log's last line. */
function failure(job: PlannedJob, task: number, count: number, code: number, log: string): string {
  const last = readFileSync(log, 'utf8').trim().split('\n').at(-1) ?? '';
  return `xling: worker ${job.command.join(' ')} --shard ${task}/${count} failed (exit ${code}); log: ${log}${last ? `\n  ${last}` : ''}`;
}
