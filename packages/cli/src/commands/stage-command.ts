import { isAbsolute, resolve } from 'node:path';
import type { Shard } from '@xling/eval';
import { DEVICES, type Device } from '@xling/extract';
import type { CliIo } from '../cli-io.js';
import { EXECUTOR_OPTIONS, parseSlurmSettings } from '../executor/slurm/slurm-options.js';
import { runLocally, workerCount } from '../executor/local/run-locally.js';
import { runOnSlurm } from '../executor/slurm/run-on-slurm.js';
import type { ExperimentUntil } from '../experiment/execute-experiment.js';
import { executeExperiment } from '../experiment/execute-experiment.js';
import { loadCliConfig } from '../experiment/load-cli-config.js';
import { parseShard } from '../experiment/parse-shard.js';
import { UsageError } from '../usage-error.js';
import type { Command, CommandOptions } from './command.js';

/** What differs between the commands that run an experiment up to a stage. */
export interface StageCommandSpec {
  name: string;
  until: ExperimentUntil;
  summary: string;
  description: string;
  examples: Command['examples'];
}

/** Options shared by every stage command; none of them changes the config hash. */
export const STAGE_OPTIONS: CommandOptions = {
  out: {
    type: 'string',
    valueName: 'dir',
    description: "output folder instead of the config's outDir (store/, stages/ and runs/<hash>/ go there)",
  },
  'ud-dir': {
    type: 'string',
    valueName: 'dir',
    description: "UD directory instead of the config's udDir / $XLING_UD_DIR",
  },
  threads: {
    type: 'string',
    valueName: 'n',
    description: 'onnxruntime threads (0 = all cores); does not change results',
  },
  workers: {
    type: 'string',
    valueName: 'n',
    description:
      "processes side by side, each on a shard of every stage, instead of the config's workers (0 = one per core); does not change results",
  },
  device: {
    type: 'string',
    valueName: DEVICES.join('|'),
    description:
      "where onnxruntime runs the models instead of the config's device: cpu, or cuda (see 'xling doctor')",
  },
};

/** Every stage command: its share of the stage's units. */
const SHARD_OPTION: CommandOptions = {
  shard: {
    type: 'string',
    valueName: 'i/N',
    description: 'do only shard i of N of this stage (0-based, like $SLURM_ARRAY_TASK_ID); see below',
  },
  claims: {
    type: 'string',
    valueName: 'dir',
    description:
      'with --shard, for shards on one machine (what --workers runs): take the units of every stage up to this one first come, through claim files in <dir>, and wait for the units another shard is computing; the extraction units stay in the unit stores, which the same command without --shard gathers',
  },
};

const SHARD_NOTE =
  "With --shard i/N, the stage's units are sorted by name and dealt round-robin, so N shards can run " +
  'at once as plain processes or Slurm array tasks, and a finished unit is skipped. Extraction units are ' +
  'treebank splits at a sentence cap (all layers in one unit: one forward pass gives them all), written ' +
  'to <outDir>/store-units/ and moved into the store by the next unsharded stage. Later units are single ' +
  'probes, alignability matrices (task and layer), learners, and for eval/run/icl the zero-shot scores of ' +
  'a task, few-shot seeds of a target and ICL prompting runs and states splits; their shards need the ' +
  "store and the stages they read complete ('xling extract <config>' after the extraction shards, " +
  "'xling probe <config>' after the probe shards, ...). The same command without --shard then assembles " +
  'the stage (and writes the report) from the units, byte for byte what one process computes.';

const EXECUTOR_NOTE =
  'With --executor slurm, the stages up to this one run as a chain of sbatch jobs, each after the one ' +
  "before (afterok): a job array over the shards with missing extraction units, 'xling extract' " +
  '(gathers the store), a job array of --shard tasks per later stage up to this one (probe, then align, ' +
  'or meta train and eval/run), and this command unsharded (it assembles the stage and the report). ' +
  '--slurm-gpus goes to the extraction array, and to the eval/run shards when the config has an icl ' +
  "section ('xling icl': an array of ICL shards with the GPUs, then 'xling icl'); the config's slurm " +
  'section sets resources per stage, the --slurm-* flags override it. With --workers n the stages run on ' +
  'this machine as n worker processes of this command with --shard i/n --claims <dir>, each taking the ' +
  'units of every stage (extraction included) first come and waiting for the units it reads that another ' +
  'is computing, then this command unsharded (it gathers and assembles). It waits, showing the extraction units done and the job running, unless --no-wait; names ' +
  'the logs of failed tasks and jobs; a re-submission runs only what is missing.';

const CACHE_NOTE =
  'The representations are cached under <outDir>/store/, each later stage under ' +
  '<outDir>/stages/<stage>/<key>/ with a key made of only the settings it reads (changing the ' +
  'alignability settings reuses the probes and meta-learners), and the report goes to ' +
  '<outDir>/runs/<config hash>/ with a stages.json naming the stage folders. So the stage commands ' +
  'feed each other and an interrupted run resumes where it stopped; outDir, udDir, threads, workers, device ' +
  "and title are in no key. The config is YAML or JSON ('xling config init' writes a commented " +
  'example); relative paths start from the current folder.';

/** `shard` with the folder of `--claims`, which needs `--shard`. */
function withClaims(
  shard: Shard | undefined,
  claims: unknown,
  io: CliIo,
  command: string,
): Shard | undefined {
  if (claims === undefined) return shard;
  if (!shard) throw new UsageError('--claims goes with --shard.', command);
  return { ...shard, claims: resolve(io.cwd, String(claims)) };
}

/** Parses `--threads` (or another count option named `flag`). */
export function parseThreads(value: unknown, command: string, flag = '--threads'): number | undefined {
  if (value === undefined) return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 0) {
    throw new UsageError(`${flag} must be a non-negative integer, but got '${String(value)}'.`, command);
  }
  return threads;
}

/** Parses `--device`. */
export function parseDevice(value: unknown, command: string): Device | undefined {
  if (value === undefined) return undefined;
  if (!DEVICES.includes(value as Device)) {
    throw new UsageError(
      `--device must be one of ${DEVICES.join(', ')}, but got '${String(value)}'.`,
      command,
    );
  }
  return value as Device;
}

/** Builds `xling <stage> <config>`: load and validate the config, run until the stage, summarise. */
export function stageCommand(spec: StageCommandSpec): Command {
  const until = spec.until;
  return {
    name: spec.name,
    summary: spec.summary,
    usage: `<config> [--out <dir>] [--ud-dir <dir>] [--threads <n>] [--workers <n>] [--device cpu|cuda] [--shard <i/N> [--claims <dir>]] [--executor slurm [--shards <n>] [--no-wait] [--slurm-partition <name>] ...]`,
    description: [spec.description, CACHE_NOTE, SHARD_NOTE, EXECUTOR_NOTE].join(' '),
    options: { ...STAGE_OPTIONS, ...SHARD_OPTION, ...EXECUTOR_OPTIONS },
    positionals: { min: 1, max: 1 },
    examples: spec.examples,
    async run({ positionals, values, io }) {
      const threads = parseThreads(values.threads, spec.name);
      const workers = parseThreads(values.workers, spec.name, '--workers');
      const device = parseDevice(values.device, spec.name);
      const shard = withClaims(parseShard(values.shard, spec.name), values.claims, io, spec.name);
      const slurm = parseSlurmSettings(values, spec.name);
      if (shard && slurm) throw new UsageError('--shard and --executor slurm exclude each other.', spec.name);
      if (workers !== undefined && (shard || slurm))
        throw new UsageError(
          '--workers runs the shards itself: it goes with neither --shard nor --executor slurm.',
          spec.name,
        );
      const config = await loadCliConfig(positionals[0]!, io, {
        ...(typeof values.out === 'string' ? { outDir: values.out } : {}),
        ...(typeof values['ud-dir'] === 'string' ? { udDir: values['ud-dir'] } : {}),
        ...(threads === undefined ? {} : { threads }),
        ...(workers === undefined ? {} : { workers }),
        ...(device === undefined ? {} : { device }),
      });
      const path = positionals[0]!;
      const configPath = isAbsolute(path) ? path : resolve(io.cwd, path);
      if (!slurm && !shard && workerCount(config) > 1) {
        const args = ['--out', config.outDir, '--ud-dir', config.udDir as string, '--device', config.device];
        const local = { config, configPath, command: spec.name, until, args, workers: workerCount(config) };
        return runLocally(local, io);
      }
      if (!slurm) return executeExperiment(config, until, io, shard ? { shard } : {});
      // The device goes per job (submit-chain.ts): the config's to the jobs with GPUs, cpu to the rest.
      const args = ['--out', config.outDir, '--ud-dir', config.udDir as string];
      if (threads !== undefined) args.push('--threads', String(threads));
      return runOnSlurm(
        { config, configPath, cwd: io.cwd, command: spec.name, until, args, settings: slurm },
        io,
      );
    },
  };
}
