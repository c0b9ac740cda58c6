import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, ModelFolderError, checkOptions } from '@xling/core';
import { familyOf, familyRegistry } from '../families/family-registry.js';
import type { ModelFamily } from '../families/model-family.js';
import { MODEL_DTYPES, type ModelDtype, dtypeSuffix } from './dtype-suffix.js';
import { readJsonFile } from './read-json-file.js';
import { buildOnnxFromCheckpoint } from '../build/build-onnx-from-checkpoint.js';

/** Options of {@link readModelFolder}; names mirror transformers.js' `from_pretrained`. */
export interface ReadModelFolderOptions {
  /**
   * Folder of the ONNX files inside the model folder.
   * @defaultValue `'onnx'`
   */
  subfolder?: string;
  /**
   * Weight type; picks the file suffix (`fp32 → ''`, `fp16 → '_fp16'`, `q8 → '_quantized'`).
   * @defaultValue `'fp32'`
   */
  dtype?: ModelDtype;
  /**
   * ONNX file name without suffix and extension.
   * @defaultValue `'model'`
   */
  modelFileName?: string;
  /**
   * When the folder has no ONNX graph but a checkpoint (`model.safetensors`, or sharded with its
   * index; fp32 or fp16, the default subfolder and file name), build the graph in place with
   * {@link buildOnnxFromCheckpoint} — once, atomically. The graph is derived from the checkpoint
   * byte for byte (the repository's own model ships only the checkpoint), so this only saves a
   * step; `false` reports the missing graph instead.
   * @defaultValue true
   */
  buildFromCheckpoint?: boolean;
}

/** What {@link readModelFolder} found in a Hugging Face model folder. */
export interface ModelFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** config.json as written (snake_case keys). */
  config: Record<string, unknown>;
  /** tokenizer_config.json (empty object when absent). */
  tokenizerConfig: Record<string, unknown>;
  /** `model_type` of config.json. */
  modelType: string;
  family: ModelFamily;
  /** Transformer blocks (`num_hidden_layers`, `n_layer`, `num_layers`); layers are 0..numLayers. */
  numLayers: number;
  /** Width of the hidden states (`hidden_size`, `n_embd`, `d_model`). */
  hiddenSize: number;
  /** Longest token sequence the model takes, special tokens included. */
  maxLength: number;
  /** Absolute path of tokenizer.json. */
  tokenizerFile: string;
  /** Absolute path of the ONNX graph. */
  onnxFile: string;
}

const CONSTRAINTS = {
  subfolder: { type: 'string', optional: true },
  dtype: { type: 'enum', values: MODEL_DTYPES, optional: true },
  modelFileName: { type: 'string', optional: true },
  buildFromCheckpoint: { type: 'boolean', optional: true },
} as const;

function positiveInteger(config: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = config[key];
    if (Number.isInteger(value) && (value as number) > 0) return value as number;
  }
  return undefined;
}

/**
 * Reads a model folder in the Hugging Face layout: `config.json` (its `model_type` picks the
 * family), `tokenizer.json` (+ `tokenizer_config.json`) and `onnx/model{suffix}.onnx` (or
 * `model{suffix}.onnx` at the top). Only checks that the files exist and the JSON makes sense;
 * the graph itself is read by {@link HiddenStateModel.load}. A folder with a checkpoint but no
 * graph gets its graph built first (see {@link ReadModelFolderOptions.buildFromCheckpoint}).
 *
 * @throws XLING_MODEL_FOLDER naming the missing or corrupt file.
 * @throws XLING_INVALID_ARGUMENT for bad options.
 */
export async function readModelFolder(
  dir: string,
  options: ReadModelFolderOptions = {},
): Promise<ModelFolder> {
  checkOptions(options, CONSTRAINTS, 'readModelFolder');
  const { subfolder = 'onnx', dtype = 'fp32', modelFileName = 'model', buildFromCheckpoint = true } = options;
  if (typeof dir !== 'string' || dir === '') {
    throw new InvalidArgumentError(
      'dir',
      'readModelFolder',
      `must be a folder path, but got ${String(dir)}.`,
    );
  }
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ModelFolderError(root, 'the folder does not exist.', ['config.json', 'tokenizer.json']);
  }
  const config = (await readJsonFile(root, 'config.json', true))!;
  const tokenizerConfig = (await readJsonFile(root, 'tokenizer_config.json', false)) ?? {};
  const modelType = config.model_type;
  if (typeof modelType !== 'string') {
    throw new ModelFolderError(root, "config.json has no 'model_type'.");
  }
  const family = familyOf(modelType);
  if (!family) {
    throw new ModelFolderError(
      root,
      `config.json has model_type '${modelType}', which xling does not know (known: ${[...familyRegistry.keys()].join(', ')}).`,
    );
  }
  const numLayers = positiveInteger(config, ['num_hidden_layers', 'n_layer', 'num_layers']);
  const hiddenSize = positiveInteger(config, ['hidden_size', 'n_embd', 'd_model']);
  if (numLayers === undefined || hiddenSize === undefined) {
    throw new ModelFolderError(
      root,
      "config.json lacks 'num_hidden_layers' (or 'n_layer') or 'hidden_size' (or 'n_embd').",
    );
  }
  const positions = positiveInteger(config, ['max_position_embeddings', 'n_positions', 'n_ctx']);
  const declared = positiveInteger(tokenizerConfig, ['model_max_length']);
  // tokenizer_config's model_max_length is often a 1e30 sentinel; positions bound it anyway.
  const candidates = [
    declared,
    positions === undefined ? undefined : positions - family.positionOffset,
  ].filter((v): v is number => v !== undefined && v > 0 && v < 1e7);
  const maxLength = candidates.length > 0 ? Math.min(...candidates) : 512;

  const tokenizerFile = join(root, 'tokenizer.json');
  if (!existsSync(tokenizerFile))
    throw new ModelFolderError(root, 'tokenizer.json is missing.', ['tokenizer.json']);

  const fileName = `${modelFileName}${dtypeSuffix(dtype)}.onnx`;
  const tried = [join(subfolder, fileName), fileName];
  let onnxFile = tried.map((p) => join(root, p)).find((p) => existsSync(p));
  const buildable =
    buildFromCheckpoint &&
    subfolder === 'onnx' &&
    modelFileName === 'model' &&
    (dtype === 'fp32' || dtype === 'fp16') &&
    ['model.safetensors', 'model.safetensors.index.json'].some((f) => existsSync(join(root, f)));
  if (!onnxFile && buildable) onnxFile = (await buildOnnxFromCheckpoint(root, root, { dtype })).modelPath;
  if (!onnxFile) {
    throw new ModelFolderError(
      root,
      `no ONNX graph for dtype '${dtype}': looked for ${tried.join(' and ')}.`,
      [tried[0]],
    );
  }
  return {
    dir: root,
    config,
    tokenizerConfig,
    modelType,
    family,
    numLayers,
    hiddenSize,
    maxLength,
    tokenizerFile,
    onnxFile,
  };
}
