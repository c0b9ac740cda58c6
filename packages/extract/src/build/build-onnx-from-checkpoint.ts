import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  FileSystemError,
  InvalidArgumentError,
  ModelFolderError,
  type ProgressCallback,
  checkOptions,
  throwIfAborted,
  writeFileAtomic,
} from '@xling/core';
import {
  MODEL_FILE_LIMIT_CONSTRAINTS,
  type ModelFileLimits,
  modelFileSize,
} from '../model-folder/model-file.js';
import { GENERATION_MODEL_FILE_NAME } from '../generation/cache-names.js';
import { readJsonFile } from '../model-folder/read-json-file.js';
import { planBertGraph } from './bert-graph.js';
import { CheckpointConfig, checkLayerCount, expectTensor } from './checkpoint-config.js';
import { CheckpointReader } from './checkpoint-reader.js';
import { encodeModel } from './encode-model.js';
import { ExternalDataWriter } from './external-data-writer.js';
import { GraphBuilder } from './graph-builder.js';
import { generationInputs, generationOutputs, hiddenStatesInputs, hiddenStatesOutputs } from './graph-io.js';
import { planGpt2Graph } from './gpt2-graph.js';
import type { FamilyPlan, GenerationPlan } from './graph-ops.js';
import { planLlamaGraph } from './llama-graph.js';
import type { TensorProto } from './onnx-proto.js';
import {
  type CheckpointFamily,
  SUPPORTED_CHECKPOINT_MODEL_TYPES,
} from './supported-checkpoint-model-types.js';

/** Options of {@link buildOnnxFromCheckpoint}; the byte limits are {@link MODEL_FILE_LIMITS}. */
export interface BuildOnnxFromCheckpointOptions extends Partial<ModelFileLimits> {
  /**
   * Storage type of the weights. `'fp16'` stores float16 weights (half the file) and casts them
   * to float32 inside the graph, so inputs, outputs and arithmetic stay float32; it is not a
   * full-fp16 graph. The file name gets transformers.js' suffix: `model.onnx` or `model_fp16.onnx`.
   * @defaultValue `'fp32'`
   */
  dtype?: 'fp32' | 'fp16';
  /**
   * Where the weights go: `'auto'` writes them to an external data file (`model.onnx_data`) when
   * they exceed `externalDataThreshold` bytes (protobuf files cannot exceed 2 GiB); `'always'`
   * and `'never'` force the choice.
   * @defaultValue `'auto'`
   */
  externalData?: 'auto' | 'always' | 'never';
  /**
   * Weight bytes above which `externalData: 'auto'` uses an external data file.
   * @defaultValue `1073741824` (1 GiB)
   */
  externalDataThreshold?: number;
  /**
   * Folder of the ONNX file inside `outDir`.
   * @defaultValue `'onnx'`
   */
  subfolder?: string;
  /**
   * ONNX file name without the dtype suffix and extension.
   * @defaultValue `'model'`
   */
  modelFileName?: string;
  /**
   * For a decoder (llama, mistral, qwen2, qwen3, gpt2), the generation graph
   * `decoder_model_merged.onnx` (`decoder_model_merged_fp16.onnx` with `dtype: 'fp16'`): logits,
   * position ids and a key/value cache in Optimum's naming, plus the hidden states of the new
   * positions (read it with `GenerationModel`). Both graphs share one external data file when
   * there is one; inline weights are stored in each file. `'auto'` writes it when the checkpoint
   * has a language-model head (an `lm_head` or tied embeddings) and otherwise says why not in
   * `generationSkipped`; `'always'` fails without a head; `'never'` skips it. Ignored for encoders.
   * @defaultValue `'auto'`
   */
  generation?: 'auto' | 'always' | 'never';
  /** Receives `start`/`progress`/`end` events of task `'build-onnx'`, counting tensors. */
  onProgress?: ProgressCallback;
  /** Stops the build between tensors; the call then rejects with `XLING_ABORTED`. */
  signal?: AbortSignal;
}

/** What {@link buildOnnxFromCheckpoint} wrote. */
export interface BuildOnnxFromCheckpointResult {
  /** Absolute output folder (a Hugging Face model folder). */
  outDir: string;
  /** Absolute path of the ONNX file. */
  modelPath: string;
  /**
   * Absolute path of the generation graph (`decoder_model_merged.onnx`), or null for an encoder,
   * with `generation: 'never'`, or when it was skipped (see `generationSkipped`).
   */
  generationModelPath: string | null;
  /** Why a decoder's generation graph was not written under `generation: 'auto'` (a base model without its head); else null. */
  generationSkipped: string | null;
  /** Absolute path of the external data file, or null when the weights are inside the ONNX file. */
  externalDataPath: string | null;
  /** Files copied from the checkpoint folder (`config.json`, `tokenizer.json`, ...). */
  copiedFiles: string[];
  /** `'bert'`, `'llama'` or `'gpt2'`. */
  family: CheckpointFamily;
  /** `model_type` of config.json. */
  modelType: string;
  /** Number of transformer layers L; the graph has outputs `hidden_states_0` to `hidden_states_L`. */
  numLayers: number;
  hiddenSize: number;
  dtype: 'fp32' | 'fp16';
  /** Graph input names, in order. */
  inputNames: string[];
  /** Graph output names: `last_hidden_state`, then `hidden_states_0..L`. */
  outputNames: string[];
  /** Number of weights in model.onnx (checkpoint tensors not used, such as `lm_head`, excluded). */
  parameterCount: number;
}

const FUNCTION_NAME = 'buildOnnxFromCheckpoint';
/** Protobuf messages cannot exceed 2 GiB; leave room for the graph itself. */
const PROTOBUF_LIMIT = 2 ** 31 - 2 ** 24;
const INDEX_FILE = 'model.safetensors.index.json';
const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'generation_config.json',
];
type PlanFamily = (config: CheckpointConfig, reader: CheckpointReader) => FamilyPlan;
const PLANNERS: Record<CheckpointFamily, PlanFamily> = {
  bert: planBertGraph,
  llama: planLlamaGraph,
  gpt2: planGpt2Graph,
};
const FAMILIES = new Map<string, PlanFamily>(
  Object.entries(SUPPORTED_CHECKPOINT_MODEL_TYPES).flatMap(([family, types]) =>
    types.map((type) => [type, PLANNERS[family as CheckpointFamily]] as const),
  ),
);

/**
 * The generation graph to build, if any. Under `'auto'` a decoder checkpoint without a
 * language-model head (a base model) builds only model.onnx and the reason is returned;
 * `'always'` makes that an error.
 */
function planGeneration(
  plan: FamilyPlan,
  generation: 'auto' | 'always' | 'never',
  folder: string,
): { generationPlan: GenerationPlan | null; generationSkipped: string | null } {
  const planned = generation === 'never' ? undefined : plan.generation?.();
  if (planned === undefined) return { generationPlan: null, generationSkipped: null };
  if (!('unavailable' in planned)) return { generationPlan: planned, generationSkipped: null };
  if (generation === 'always') {
    throw new ModelFolderError(
      folder,
      `${planned.unavailable}, so it cannot have the generation graph asked for with generation: 'always' (xling model build --generation always); build with 'auto' or 'never' for the hidden states only.`,
    );
  }
  return { generationPlan: null, generationSkipped: planned.unavailable };
}

/**
 * Builds the ONNX graph of a Hugging Face checkpoint directly from its safetensors weights, in
 * TypeScript (no Python, no `transformers`). The output folder is a Hugging Face model folder:
 * `config.json`, `tokenizer.json` (+ `tokenizer_config.json`, `special_tokens_map.json` when
 * present) and `onnx/model.onnx` (+ `model.onnx_data` for large weights).
 *
 * Supported `model_type`s: `bert`, `roberta`, `xlm-roberta` (BERT family), `llama`, `mistral`,
 * `qwen2`, `qwen3` (LLaMA family) and `gpt2`. The graph (ONNX opset 17, standard ops only) takes
 * int64 `input_ids` and `attention_mask` (and `token_type_ids` for `bert`), shaped
 * `[batch_size, sequence_length]` with both dimensions dynamic, and returns float32
 * `last_hidden_state` and `hidden_states_0` ... `hidden_states_L` (`[batch_size,
 * sequence_length, hidden_size]`) in the order of Hugging Face's `output_hidden_states`:
 * index 0 is the embedding output, index i the output of layer i, and for the decoders (LLaMA
 * family, GPT-2) `hidden_states_L` equals `last_hidden_state`, the output of the final norm
 * (not the raw output of the last layer). Decoder positions are `0..S-1` whatever the padding,
 * as in a plain `model(input_ids, attention_mask)` call; pad on the right.
 *
 * For the decoders, `onnx/decoder_model_merged.onnx` (Optimum's name) is written too when
 * the checkpoint has a language-model head (see `generation`): the generation graph for incremental decoding. It takes int64 `input_ids`
 * and `position_ids` (`[batch_size, sequence_length]`), `attention_mask` over the cached and the
 * new positions (`[batch_size, past_sequence_length + sequence_length]`; left or right padding)
 * and float32 `past_key_values.<i>.key|value` (`[batch_size, num_key_value_heads,
 * past_sequence_length, head_dim]`, past length 0 on a first call; GPT-2 has one key/value head
 * per attention head), and returns `logits` (`lm_head`, or the embedding when tied: GPT-2's
 * default), `present.<i>.key|value` (LLaMA keys after the rotation, as Hugging Face caches them)
 * and `hidden_states_0..L` of the new positions. Each weight is read and converted once for both
 * graphs: they share the external data file when there is one; otherwise each file holds its
 * weights inline (model.onnx stays self-contained).
 *
 * config.json's sizes are checked against {@link CONFIG_LIMITS}, its layer count against the
 * layers the checkpoint holds, and all needed tensors against config.json before any
 * conversion, so a broken checkpoint fails fast. Every file read must be a regular file (a
 * named pipe or a device would hang the build) and the JSON files are read within
 * {@link MODEL_FILE_LIMITS}.
 *
 * @param hfFolder Folder with `config.json`, `model.safetensors` (or shards with
 *   `model.safetensors.index.json`) and `tokenizer.json`.
 * @param outDir Output folder (created; files in it are replaced).
 * @throws XLING_MODEL_FOLDER for a missing, corrupt or non-regular file, an unsupported
 *   `model_type` (the message lists the supported ones) or configuration, a config.json size out
 *   of range or more layers than the checkpoint holds (naming the field and its value), or a
 *   missing tensor (named), such as the `lm_head.weight` the generation graph of an untied
 *   checkpoint needs.
 * @throws XLING_SHAPE_MISMATCH naming a tensor whose shape disagrees with config.json.
 * @throws XLING_FILE_FORMAT for malformed safetensors.
 * @throws XLING_LIMIT_EXCEEDED for a JSON file over its byte limit.
 * @throws XLING_FILE_SYSTEM when the output cannot be written (disk full, read-only folder).
 * @throws XLING_INVALID_ARGUMENT for bad options; XLING_ABORTED when `signal` fires.
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/bert/modeling_bert.py
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/llama/modeling_llama.py
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/gpt2/modeling_gpt2.py
 * @example
 * const result = await buildOnnxFromCheckpoint('checkpoints/my-bert', 'models/my-bert');
 * // result.modelPath === '/abs/models/my-bert/onnx/model.onnx'
 */
export async function buildOnnxFromCheckpoint(
  hfFolder: string,
  outDir: string,
  options: BuildOnnxFromCheckpointOptions = {},
): Promise<BuildOnnxFromCheckpointResult> {
  const { signal, ...rest } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('options.signal', FUNCTION_NAME, 'must be an AbortSignal.');
  }
  checkOptions(
    rest,
    {
      dtype: { type: 'enum', values: ['fp32', 'fp16'] },
      externalData: { type: 'enum', values: ['auto', 'always', 'never'] },
      externalDataThreshold: { type: 'integer', min: 0 },
      subfolder: { type: 'string' },
      modelFileName: { type: 'string' },
      generation: { type: 'enum', values: ['auto', 'always', 'never'] },
      onProgress: { type: 'function' },
      ...MODEL_FILE_LIMIT_CONSTRAINTS,
    },
    FUNCTION_NAME,
  );
  const {
    dtype = 'fp32',
    externalData = 'auto',
    externalDataThreshold = 2 ** 30,
    subfolder = 'onnx',
    modelFileName = 'model',
    generation = 'auto',
    onProgress,
    ...limits
  } = rest;
  const folder = resolve(hfFolder);
  const out = resolve(outDir);

  const config = new CheckpointConfig(folder, (await readJsonFile(folder, 'config.json', true, limits))!);
  const modelType = config.has('model_type') ? config.string('model_type') : '(none)';
  const planFamily = FAMILIES.get(modelType);
  if (planFamily === undefined) {
    const supported = [...FAMILIES.keys()].join(', ');
    const architectures = Array.isArray(config.raw.architectures)
      ? ` (architectures: ${config.raw.architectures.join(', ')})`
      : '';
    throw new ModelFolderError(
      folder,
      `config.json has model_type '${modelType}'${architectures}, which ${FUNCTION_NAME} does not support; supported model_types: ${supported}.`,
    );
  }
  const entries = await readdir(folder);
  if (!entries.includes('tokenizer.json')) {
    throw new ModelFolderError(folder, 'has no tokenizer.json, which the output model folder needs.', [
      'tokenizer.json',
    ]);
  }
  await checkInputFiles(folder, entries, limits);

  const reader = await CheckpointReader.open(folder);
  let external: ExternalDataWriter | null = null;
  const onnxFolder = join(out, subfolder);
  try {
    checkLayerCount(config, reader);
    const plan = planFamily(config, reader);
    const { generationPlan, generationSkipped } = planGeneration(plan, generation, folder);
    const tensors = [...plan.tensors, ...(generationPlan?.tensors ?? [])];
    for (const spec of tensors) expectTensor(reader, spec.name, spec.shape, spec.why);

    const weightBytes =
      tensors.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0) *
      (dtype === 'fp16' ? 2 : 4);
    const useExternal =
      externalData === 'always' || (externalData === 'auto' && weightBytes > externalDataThreshold);
    if (!useExternal && weightBytes >= PROTOBUF_LIMIT) {
      throw new InvalidArgumentError(
        'options.externalData',
        FUNCTION_NAME,
        `must allow external data for ${weightBytes} bytes of weights (an ONNX protobuf file holds at most 2 GiB), but got '${externalData}'.`,
      );
    }
    const suffix = dtype === 'fp16' ? '_fp16' : '';
    const fileName = `${modelFileName}${suffix}.onnx`;
    await mkdir(onnxFolder, { recursive: true }).catch(fault('create the folder', onnxFolder));
    if (useExternal) {
      const dataPath = join(onnxFolder, `${fileName}_data`);
      external = await ExternalDataWriter.create(onnxFolder, `${fileName}_data`).catch(
        fault('create', dataPath),
      );
    }

    const task = 'build-onnx';
    const total = tensors.length;
    onProgress?.({ status: 'start', task, total, unit: 'tensor', label: modelType });
    let done = 0;
    const load = async (name: string): Promise<Float32Array> => {
      throwIfAborted(signal, task);
      const data = await reader.read(name);
      done++;
      onProgress?.({ status: 'progress', task, done, total, unit: 'tensor', label: name });
      return data;
    };
    // Both graphs' builders share the converted weights: each tensor is read and stored once.
    const stored = new Map<string, TensorProto>();
    const g = new GraphBuilder(dtype, external, stored);
    const graph = await plan.build(g, load);
    throwIfAborted(signal, task);
    const metadata = {
      model_type: modelType,
      num_hidden_layers: String(plan.numLayers),
      weights_dtype: dtype,
    };
    const outputs = hiddenStatesOutputs(graph, plan.hiddenSize);
    const modelPath = join(onnxFolder, fileName);
    const files = new Map<string, Uint8Array>();
    files.set(
      modelPath,
      encodeModel(g, {
        graphName: `${modelType}_hidden_states`,
        docString: `Built by ${FUNCTION_NAME} from a ${modelType} checkpoint; outputs follow Hugging Face output_hidden_states.`,
        inputs: hiddenStatesInputs(graph),
        outputs,
        metadata,
      }),
    );
    let generationModelPath: string | null = null;
    if (generationPlan !== null) {
      generationModelPath = join(onnxFolder, `${GENERATION_MODEL_FILE_NAME}${suffix}.onnx`);
      const gg = new GraphBuilder(dtype, external, stored);
      const generationGraph = await generationPlan.build(gg, load);
      throwIfAborted(signal, task);
      files.set(
        generationModelPath,
        encodeModel(gg, {
          graphName: `${modelType}_generation`,
          docString: `Built by ${FUNCTION_NAME} from a ${modelType} checkpoint: logits and a key/value cache in Optimum's naming, plus hidden_states_0..L of the new positions.`,
          inputs: generationInputs(generationPlan, plan.numLayers),
          outputs: generationOutputs(generationPlan, generationGraph, plan.hiddenSize),
          metadata: {
            ...metadata,
            num_key_value_heads: String(generationPlan.kvHeads),
            head_dim: String(generationPlan.headDim),
          },
        }),
      );
    }
    if (external !== null) {
      await external.commit().catch(fault('write', join(onnxFolder, external.fileName)));
    }
    for (const [path, bytes] of files) await writeFileAtomic(path, bytes).catch(fault('write', path));

    const copiedFiles: string[] = [];
    for (const name of ['config.json', ...TOKENIZER_FILES]) {
      if (!entries.includes(name)) continue;
      if (folder !== out)
        await copyFile(join(folder, name), join(out, name)).catch(fault('write', join(out, name)));
      copiedFiles.push(name);
    }
    onProgress?.({ status: 'end', task, done, total, unit: 'tensor', label: modelType });
    return {
      outDir: out,
      modelPath,
      generationModelPath,
      generationSkipped,
      externalDataPath: external === null ? null : join(onnxFolder, external.fileName),
      copiedFiles,
      family: plan.family,
      modelType,
      numLayers: plan.numLayers,
      hiddenSize: plan.hiddenSize,
      dtype,
      inputNames: graph.inputs,
      outputNames: outputs.map((output) => output.name),
      parameterCount: g.parameterCount,
    };
  } catch (error) {
    await external?.discard();
    // Faults Node reports without a path come from appending weights to the external data file.
    throw FileSystemError.from(
      error,
      undefined,
      (error as NodeJS.ErrnoException | undefined)?.path ?? onnxFolder,
    );
  } finally {
    await reader.close();
  }
}

/** Rethrows a system error of writing `path` as a FileSystemError. */
function fault(action: string, path: string): (error: unknown) => never {
  return (error) => {
    throw FileSystemError.from(error, action, path);
  };
}

/**
 * Checks, before anything is opened, that the files the build reads or copies are regular files
 * (a named pipe or /dev/zero behind a name would hang it) and the JSON ones within their limits.
 */
async function checkInputFiles(
  folder: string,
  entries: readonly string[],
  limits: Partial<ModelFileLimits>,
): Promise<void> {
  for (const name of entries) {
    if (name.endsWith('.safetensors')) await modelFileSize(folder, name);
    else if (name === INDEX_FILE || TOKENIZER_FILES.includes(name)) await modelFileSize(folder, name, limits);
  }
}
