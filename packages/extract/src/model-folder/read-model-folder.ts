import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, ModelFolderError, checkOptions } from '@xling/core';
import { familyOf, familyRegistry } from '../families/family-registry.js';
import type { ModelFamily } from '../families/model-family.js';
import { checkConfigInteger } from './config-limits.js';
import { MODEL_DTYPES, type ModelDtype, dtypeSuffix } from './dtype-suffix.js';
import { MODEL_FILE_LIMIT_CONSTRAINTS, type ModelFileLimits, modelFileSize } from './model-file.js';
import { readJsonFile } from './read-json-file.js';
import { buildOnnxFromCheckpoint } from '../build/build-onnx-from-checkpoint.js';

/**
 * Options of {@link readModelFolder}; names mirror transformers.js' `from_pretrained`. The byte
 * limits of the JSON files read (`maxConfigBytes`, `maxJsonBytes`) default to
 * {@link MODEL_FILE_LIMITS}.
 */
export interface ReadModelFolderOptions extends Partial<ModelFileLimits> {
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

/** Option constraints of {@link readModelFolder}, for the functions that pass its options on. */
export const READ_MODEL_FOLDER_CONSTRAINTS = {
  subfolder: { type: 'string', optional: true },
  dtype: { type: 'enum', values: MODEL_DTYPES, optional: true },
  modelFileName: { type: 'string', optional: true },
  buildFromCheckpoint: { type: 'boolean', optional: true },
  ...MODEL_FILE_LIMIT_CONSTRAINTS,
} as const;

/** The first of `keys` that config.json sets, checked against its limit (see CONFIG_LIMITS). */
function configSize(
  dir: string,
  config: Record<string, unknown>,
  keys: readonly string[],
): number | undefined {
  const key = keys.find((k) => Object.hasOwn(config, k) && config[k] !== null);
  return key === undefined ? undefined : checkConfigInteger(dir, key, config[key], 1);
}

function declaredMaxLength(tokenizerConfig: Record<string, unknown>): number | undefined {
  const value = tokenizerConfig.model_max_length;
  return Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined;
}

/**
 * Reads a model folder in the Hugging Face layout: `config.json` (its `model_type` picks the
 * family), `tokenizer.json` (+ `tokenizer_config.json`) and `onnx/model{suffix}.onnx` (or
 * `model{suffix}.onnx` at the top). Only checks that the files exist and the JSON makes sense;
 * the graph itself is read by {@link HiddenStateModel.load}. A folder with a checkpoint but no
 * graph gets its graph built first (see {@link ReadModelFolderOptions.buildFromCheckpoint}).
 * Every file must be a regular file (symlinks are followed): a named pipe or a device such as
 * /dev/zero would hang a reader. config.json sizes must be within CONFIG_LIMITS.
 *
 * @throws XLING_MODEL_FOLDER naming the missing, corrupt or non-regular file, or a config.json
 *   size out of range (the field and its value).
 * @throws XLING_LIMIT_EXCEEDED for a JSON file over its byte limit ({@link MODEL_FILE_LIMITS}).
 * @throws XLING_INVALID_ARGUMENT for bad options.
 */
export async function readModelFolder(
  dir: string,
  options: ReadModelFolderOptions = {},
): Promise<ModelFolder> {
  checkOptions(options, READ_MODEL_FOLDER_CONSTRAINTS, 'readModelFolder');
  const {
    subfolder = 'onnx',
    dtype = 'fp32',
    modelFileName = 'model',
    buildFromCheckpoint = true,
    ...limits
  } = options;
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
  const config = (await readJsonFile(root, 'config.json', true, limits))!;
  const tokenizerConfig = (await readJsonFile(root, 'tokenizer_config.json', false, limits)) ?? {};
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
  const numLayers = configSize(root, config, ['num_hidden_layers', 'n_layer', 'num_layers']);
  const hiddenSize = configSize(root, config, ['hidden_size', 'n_embd', 'd_model']);
  if (numLayers === undefined || hiddenSize === undefined) {
    throw new ModelFolderError(
      root,
      "config.json lacks 'num_hidden_layers' (or 'n_layer') or 'hidden_size' (or 'n_embd').",
    );
  }
  const positions = configSize(root, config, ['max_position_embeddings', 'n_positions', 'n_ctx']);
  const declared = declaredMaxLength(tokenizerConfig);
  // tokenizer_config's model_max_length is often a 1e30 sentinel; positions bound it anyway.
  const candidates = [
    declared,
    positions === undefined ? undefined : positions - family.positionOffset,
  ].filter((v): v is number => v !== undefined && v > 0 && v < 1e7);
  const maxLength = candidates.length > 0 ? Math.min(...candidates) : 512;

  const tokenizerFile = join(root, 'tokenizer.json');
  if ((await modelFileSize(root, 'tokenizer.json', limits)) === undefined)
    throw new ModelFolderError(root, 'tokenizer.json is missing.', ['tokenizer.json']);

  const fileName = `${modelFileName}${dtypeSuffix(dtype)}.onnx`;
  const tried = [join(subfolder, fileName), fileName];
  let onnxFile: string | undefined;
  for (const candidate of tried) {
    if ((await modelFileSize(root, candidate)) === undefined) continue;
    onnxFile = join(root, candidate);
    break;
  }
  const buildable =
    buildFromCheckpoint &&
    subfolder === 'onnx' &&
    modelFileName === 'model' &&
    (dtype === 'fp32' || dtype === 'fp16') &&
    ['model.safetensors', 'model.safetensors.index.json'].some((f) => existsSync(join(root, f)));
  if (!onnxFile && buildable)
    onnxFile = (await buildOnnxFromCheckpoint(root, root, { dtype, ...limits })).modelPath;
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
