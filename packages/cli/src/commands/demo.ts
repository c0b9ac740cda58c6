import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelFolderError, findWorkspaceRoot, writeFileAtomic } from '@xling/core';
import { readModelFolder } from '@xling/extract';
import type { CliIo } from '../cli-io.js';
import { resolveUdDir } from '@xling/ud';
import { runLocally, workerCount } from '../executor/local/run-locally.js';
import { demoConfig } from '../experiment/demo-config.js';
import { executeExperiment } from '../experiment/execute-experiment.js';
import type { Command } from './command.js';

/** The repository's default model, relative to the repository root. */
export const DEFAULT_MODEL_FOLDER = 'models/xling-mini-encoder';
/** The repository's default decoder (`xling demo --icl`), relative to the repository root. */
export const DEFAULT_DECODER_FOLDER = 'models/xling-mini-decoder';

/** A model folder the repository ships as a checkpoint, and what to say when it is missing. */
interface RepositoryModel {
  folder: string;
  what: string;
  /** The graph built on first use, under onnx/. */
  graph: string;
  trainedBy: string;
  /** What to do instead of using it. */
  alternative: string;
}

const ENCODER: RepositoryModel = {
  folder: DEFAULT_MODEL_FOLDER,
  what: 'default model',
  graph: 'model.onnx',
  trainedBy: 'tools/mini-encoder',
  alternative:
    "pass --model <dir> with another model folder ('xling model build' makes one from a Hugging Face checkpoint)",
};

const DECODER: RepositoryModel = {
  folder: DEFAULT_DECODER_FOLDER,
  what: 'default decoder',
  graph: 'decoder_model_merged.onnx',
  trainedBy: "'pnpm --filter @xling/tool-mini-encoder train-decoder'",
  alternative: "run 'xling icl' with a config whose icl.model is another decoder",
};

/**
 * A model folder of the repository, with its ONNX graph. The repository ships the trained
 * checkpoint (config.json, tokenizer.json, model.safetensors); the graph is built from it on first
 * use by @xling/extract (readModelFolder, GenerationModel.load; well under a second) instead of
 * committing a second copy of the weights.
 */
function repositoryModel(io: CliIo, model: RepositoryModel): string {
  const root = findWorkspaceRoot(io.cwd);
  if (root === undefined) {
    throw new ModelFolderError(
      model.folder,
      `the demo's ${model.what} lives in the xling repository, and '${io.cwd}' is not inside one (no pnpm-workspace.yaml above it). Run the demo in the repository, or ${model.alternative}.`,
    );
  }
  const dir = join(root, model.folder);
  const weights = ['model.safetensors', 'model.safetensors.index.json'].some((f) => existsSync(join(dir, f)));
  const missing = ['config.json', 'tokenizer.json', ...(weights ? [] : ['model.safetensors'])].filter(
    (f) => !existsSync(join(dir, f)),
  );
  if (missing.length > 0) {
    throw new ModelFolderError(
      dir,
      `the demo's ${model.what} '${model.folder}' is ${existsSync(dir) ? `incomplete (missing ${missing.join(', ')})` : 'missing'}. It is trained by ${model.trainedBy}; train it first, or ${model.alternative}.`,
      missing,
    );
  }
  // The graph is built from the checkpoint when it is missing; say so, it is a pause.
  if (!existsSync(join(dir, 'onnx', model.graph))) {
    io.stderr.write(`Building the ONNX graph of ${model.folder} from its checkpoint (once)...\n`);
  }
  return dir;
}

/** `xling demo`: the whole pipeline on the offline UD data with the repository's default model. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job: the whole pipeline on the UD data with the default model, and its report',
  usage: '[--ud-dir <dir>] [--out <dir>] [--model <dir>] [--quick] [--icl]',
  description:
    'Runs the whole experiment end to end with a built-in config: the study languages in their roles ' +
    '(source English, the meta-training and validation languages, the zero-shot targets) plus every ' +
    'low-resource treebank, the default model models/xling-mini-encoder of this repository, its layer at ' +
    "mBERT's layer-7 depth and a sweep over a few others, words as the mean of their pieces (an encoder's; a " +
    "decoder's last piece), and caps that keep the run under five minutes on " +
    'two cores (200 fitting and 200 test sentences per language, probes and meta-learners trained until they ' +
    'converge, 5 meta-episodes of 15 query sentences per language and epoch, few-shot N in 1, 5, 20 with 2 ' +
    'seeds, 99 permutations, 200 bootstrap resamples). Prints ' +
    'where the report is and the zero-shot summary. --quick runs five treebanks with tiny settings (CI). ' +
    '--icl adds in-context learning with the default decoder models/xling-mini-decoder (a tiny LLaMA ' +
    'trained by the project; its numbers demonstrate the pipeline, they are not a finding about LLMs): ' +
    'structured prompting with up to k = 4 demonstrations (as many as fit its 512 positions), 3 runs and ' +
    '50 test sentences per target; it is opt-in because it adds about 11 minutes on two cores. ' +
    "Reruns resume from the cache in --out. For your own settings use 'xling config init' and 'xling run'.",
  options: {
    'ud-dir': {
      type: 'string',
      valueName: 'dir',
      description: 'UD directory (default: $XLING_UD_DIR, else ../shared/data/ud next to the repository)',
    },
    out: { type: 'string', valueName: 'dir', description: 'output folder (default: ./xling-out)' },
    model: {
      type: 'string',
      valueName: 'dir',
      description: `model folder (default: ${DEFAULT_MODEL_FOLDER} in the repository)`,
    },
    quick: { type: 'boolean', description: 'a handful of languages and tiny settings (CI, smoke tests)' },
    icl: {
      type: 'boolean',
      description: `add in-context learning with the default decoder (${DEFAULT_DECODER_FOLDER})`,
    },
  },
  positionals: { min: 0, max: 0 },
  examples: [
    { command: 'pnpm demo', comment: 'from the repository root (builds first)' },
    { command: 'xling demo --quick --out demo-out', comment: 'a one-minute smoke run' },
    { command: 'xling demo --icl', comment: 'with in-context learning by the default decoder' },
    {
      command: 'xling demo --ud-dir ~/ud-treebanks-v2.15 --model models/mbert',
      comment: 'other data and model',
    },
  ],
  async run({ values, io }) {
    const model =
      typeof values.model === 'string' ? resolve(io.cwd, values.model) : repositoryModel(io, ENCODER);
    const decoder = values.icl === true ? repositoryModel(io, DECODER) : undefined;
    const folder = await readModelFolder(model);
    const udDir = resolveUdDir(typeof values['ud-dir'] === 'string' ? values['ud-dir'] : undefined, {
      cwd: io.cwd,
      env: io.env,
    });
    const config = demoConfig({
      model,
      numLayers: folder.numLayers,
      maxLength: folder.maxLength,
      kind: folder.family.kind,
      outDir: resolve(io.cwd, typeof values.out === 'string' ? values.out : 'xling-out'),
      udDir,
      quick: values.quick === true,
      decoder,
    });
    io.stdout.write(`${config.title}\nModel: ${model}\nUD data: ${udDir}\n\n`);
    const workers = workerCount(config);
    if (workers === 1) return executeExperiment(config, 'all', io);
    // The worker processes read the config from a file: the resolved config, which resolves to itself.
    const configPath = join(config.outDir, 'demo-config.json');
    await writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);
    const args = ['--out', config.outDir, '--ud-dir', udDir, '--device', config.device];
    return runLocally({ config, configPath, command: 'run', until: 'all', args, workers }, io);
  },
};
