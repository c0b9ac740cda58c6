import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelFolderError, findWorkspaceRoot } from '@xling/core';
import { readModelFolder } from '@xling/extract';
import type { CliIo } from '../cli-io.js';
import { resolveUdDir } from '@xling/ud';
import { demoConfig } from '../experiment/demo-config.js';
import { executeExperiment } from '../experiment/execute-experiment.js';
import type { Command } from './command.js';

/** The repository's default model, relative to the repository root. */
export const DEFAULT_MODEL_FOLDER = 'models/xling-mini-encoder';

/**
 * The default model folder, with its ONNX graph. The repository ships the trained checkpoint
 * (config.json, tokenizer.json, model.safetensors); the graph is built from it on first use by
 * @xling/extract's readModelFolder (well under a second) instead of committing a second copy of
 * the weights.
 */
async function defaultModel(io: CliIo): Promise<string> {
  const root = findWorkspaceRoot(io.cwd);
  if (root === undefined) {
    throw new ModelFolderError(
      DEFAULT_MODEL_FOLDER,
      `the demo's default model lives in the xling repository, and '${io.cwd}' is not inside one (no pnpm-workspace.yaml above it). Run the demo in the repository, or pass --model <dir>.`,
    );
  }
  const dir = join(root, DEFAULT_MODEL_FOLDER);
  const missing = ['config.json', 'tokenizer.json', 'model.safetensors'].filter(
    (f) => !existsSync(join(dir, f)),
  );
  if (missing.length > 0) {
    throw new ModelFolderError(
      dir,
      `the demo's default model '${DEFAULT_MODEL_FOLDER}' is ${existsSync(dir) ? `incomplete (missing ${missing.join(', ')})` : 'missing'}. It is trained by tools/mini-encoder; train it first, or pass --model <dir> with another model folder ('xling model build' makes one from a Hugging Face checkpoint).`,
      missing,
    );
  }
  // readModelFolder builds the graph from the checkpoint when it is missing; say so, it is a pause.
  if (!existsSync(join(dir, 'onnx', 'model.onnx'))) {
    io.stderr.write(`Building the ONNX graph of ${DEFAULT_MODEL_FOLDER} from its checkpoint (once)...\n`);
  }
  return dir;
}

/** `xling demo`: the whole pipeline on the offline UD data with the repository's default model. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job: the whole pipeline on the UD data with the default model, and its report',
  usage: '[--ud-dir <dir>] [--out <dir>] [--model <dir>] [--quick]',
  description:
    'Runs the whole experiment end to end with a built-in config: the study languages in their roles ' +
    '(source English, the meta-training and validation languages, the zero-shot targets) plus every ' +
    'low-resource treebank, the default model models/xling-mini-encoder of this repository, its layer at ' +
    "mBERT's layer-7 depth and a sweep over a few others, and caps that keep the run near ten minutes on " +
    'two cores (200 fitting and 200 test sentences per language, probes and meta-learners trained until they ' +
    'converge, 5 meta-episodes of 15 query sentences per language and epoch, few-shot N in 1, 5, 20 with 2 ' +
    'seeds, 99 permutations, 200 bootstrap resamples). Prints ' +
    'where the report is and the zero-shot summary. --quick runs five treebanks with tiny settings (CI). ' +
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
  },
  positionals: { min: 0, max: 0 },
  examples: [
    { command: 'pnpm demo', comment: 'from the repository root (builds first)' },
    { command: 'xling demo --quick --out demo-out', comment: 'a one-minute smoke run' },
    {
      command: 'xling demo --ud-dir ~/ud-treebanks-v2.15 --model models/mbert',
      comment: 'other data and model',
    },
  ],
  async run({ values, io }) {
    const model = typeof values.model === 'string' ? resolve(io.cwd, values.model) : await defaultModel(io);
    const folder = await readModelFolder(model);
    const udDir = resolveUdDir(typeof values['ud-dir'] === 'string' ? values['ud-dir'] : undefined, {
      cwd: io.cwd,
      env: io.env,
    });
    const config = demoConfig({
      model,
      numLayers: folder.numLayers,
      maxLength: folder.maxLength,
      outDir: resolve(io.cwd, typeof values.out === 'string' ? values.out : 'xling-out'),
      udDir,
      quick: values.quick === true,
    });
    io.stdout.write(`${config.title}\nModel: ${model}\nUD data: ${udDir}\n\n`);
    return executeExperiment(config, 'all', io);
  },
};
