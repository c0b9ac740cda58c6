import type { ExperimentUntil } from '../experiment/execute-experiment.js';
import { executeExperiment } from '../experiment/execute-experiment.js';
import { loadCliConfig } from '../experiment/load-cli-config.js';
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
};

const CACHE_NOTE =
  'The representations are cached under <outDir>/store/, each later stage under ' +
  '<outDir>/stages/<stage>/<key>/ with a key made of only the settings it reads (changing the ' +
  'alignability settings reuses the probes and meta-learners), and the report goes to ' +
  '<outDir>/runs/<config hash>/ with a stages.json naming the stage folders. So the stage commands ' +
  'feed each other and an interrupted run resumes where it stopped; outDir, udDir, threads and ' +
  "title are in no key. The config is YAML or JSON ('xling config init' writes a commented " +
  'example); relative paths start from the current folder.';

/** Parses `--threads`. */
export function parseThreads(value: unknown, command: string): number | undefined {
  if (value === undefined) return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 0) {
    throw new UsageError(`--threads must be a non-negative integer, but got '${String(value)}'.`, command);
  }
  return threads;
}

/** Builds `xling <stage> <config>`: load and validate the config, run until the stage, summarise. */
export function stageCommand(spec: StageCommandSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: '<config> [--out <dir>] [--ud-dir <dir>] [--threads <n>]',
    description: `${spec.description} ${CACHE_NOTE}`,
    options: STAGE_OPTIONS,
    positionals: { min: 1, max: 1 },
    examples: spec.examples,
    async run({ positionals, values, io }) {
      const threads = parseThreads(values.threads, spec.name);
      const config = await loadCliConfig(positionals[0]!, io, {
        ...(typeof values.out === 'string' ? { outDir: values.out } : {}),
        ...(typeof values['ud-dir'] === 'string' ? { udDir: values['ud-dir'] } : {}),
        ...(threads === undefined ? {} : { threads }),
      });
      return executeExperiment(config, spec.until, io);
    },
  };
}
