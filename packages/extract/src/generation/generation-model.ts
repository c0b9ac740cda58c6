import { InvalidArgumentError, checkOptions } from '@xling/core';
import ort from 'onnxruntime-node';
import {
  type ModelFolder,
  READ_MODEL_FOLDER_CONSTRAINTS,
  type ReadModelFolderOptions,
  readModelFolder,
} from '../model-folder/read-model-folder.js';
import { createSession } from '../onnx/create-session.js';
import { buildGenerationGraphIfMissing } from './build-generation-graph.js';
import { GENERATION_MODEL_FILE_NAME, PAST_NAME, pastName, presentName } from './cache-names.js';
import { type ForwardInput, type GenerationForwardInput, checkForwardInput } from './forward-input.js';
import { GenerationCache } from './generation-cache.js';
import { type GenerationLayout, readGenerationLayout } from './generation-layout.js';
import { tensorToFloat32 } from './tensor-to-float32.js';

/** Options of {@link GenerationModel.load}. */
export interface GenerationModelOptions extends Omit<ReadModelFolderOptions, 'buildFromCheckpoint'> {
  /**
   * ONNX file name without dtype suffix and extension; Optimum's and xling's generation graph by
   * default. An Optimum `model.onnx` with `past_key_values` inputs works too.
   * @defaultValue `'decoder_model_merged'`
   */
  modelFileName?: string;
  /**
   * onnxruntime threads inside one operator; 0 lets onnxruntime choose (all cores).
   * @defaultValue `0`
   */
  intraOpNumThreads?: number;
  /**
   * onnxruntime execution providers in order of preference.
   * @defaultValue `['cpu']`
   */
  executionProviders?: string[];
}

/** Output of {@link GenerationModel.forward}; arrays are row-major. */
export interface GenerationForwardOutput {
  batchSize: number;
  /** New positions per row. */
  length: number;
  vocabSize: number;
  /** Next-token scores, `batchSize × length × vocabSize`. */
  logits: Float32Array;
  /** The cache after this call, to pass back as `past`. */
  present: GenerationCache;
  /**
   * `hidden_states[0..L]` of the new positions, each `batchSize × length × hiddenSize` (index 0
   * the embeddings, L the final-normed output); undefined when the graph has no such outputs
   * (an Optimum export).
   */
  hiddenStates?: Float32Array[];
}

const CONSTRAINTS = {
  ...READ_MODEL_FOLDER_CONSTRAINTS,
  intraOpNumThreads: { type: 'integer', min: 0, optional: true },
} as const;

/**
 * A decoder graph with a key/value cache, for incremental decoding: the `decoder_model_merged.onnx`
 * that `buildOnnxFromCheckpoint` writes for LLaMA-family checkpoints, or an Optimum export with
 * `past_key_values.<i>.key|value` inputs and `present.<i>.key|value` outputs (found by name).
 *
 * @example
 * const model = await GenerationModel.load('models/my-llama');
 * const first = await model.forward({ inputIds: Int32Array.of(1, 17, 5) });
 * const next = await model.forward({ inputIds: Int32Array.of(9), past: first.present });
 * await model.dispose();
 */
export class GenerationModel {
  readonly folder: ModelFolder;
  /** Layers of the cache (the decoder's transformer blocks). */
  readonly numLayers: number;
  readonly vocabSize: number;
  private readonly session: ort.InferenceSession;
  private readonly layout: GenerationLayout;

  private constructor(folder: ModelFolder, session: ort.InferenceSession, layout: GenerationLayout) {
    this.folder = folder;
    this.session = session;
    this.layout = layout;
    this.numLayers = layout.numLayers;
    this.vocabSize = layout.vocabSize;
  }

  /** Whether {@link forward} returns hidden states (false for an Optimum export). */
  get hasHiddenStates(): boolean {
    return this.layout.hiddenStates !== null;
  }

  /**
   * Opens a model folder's generation graph (see {@link readModelFolder} for the folder checks),
   * built from the folder's checkpoint on first use when it has none.
   *
   * @throws XLING_MODEL_FOLDER for missing or corrupt files, or a graph without a usable cache.
   * @throws XLING_INVALID_ARGUMENT for bad options.
   */
  static async load(dir: string, options: GenerationModelOptions = {}): Promise<GenerationModel> {
    const { executionProviders = ['cpu'], ...checked } = options;
    checkOptions(checked, CONSTRAINTS, 'GenerationModel.load');
    if (!Array.isArray(executionProviders) || !executionProviders.every((v) => typeof v === 'string')) {
      throw new InvalidArgumentError(
        'options.executionProviders',
        'GenerationModel.load',
        `must be an array of strings, but got ${JSON.stringify(executionProviders)}.`,
      );
    }
    const { intraOpNumThreads = 0, modelFileName = GENERATION_MODEL_FILE_NAME, ...folderOptions } = checked;
    await buildGenerationGraphIfMissing(dir, { ...folderOptions, modelFileName });
    const folder = await readModelFolder(dir, {
      ...folderOptions,
      modelFileName,
      buildFromCheckpoint: false,
    });
    const session = await createSession(folder.onnxFile, { intraOpNumThreads, executionProviders });
    try {
      return new GenerationModel(folder, session, readGenerationLayout(session, folder));
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /**
   * Runs the new tokens after the cached ones: one call for a whole prompt (no `past`), then one
   * per step with the returned `present`. Incremental calls give the same logits and hidden
   * states as one call over the whole sequence.
   *
   * @throws XLING_INVALID_ARGUMENT for a cache from another model, token ids outside the
   *   vocabulary, non-integers, or a mask that is not 0/1.
   * @throws XLING_SHAPE_MISMATCH for lengths that do not fit `batchSize` and the cache.
   */
  async forward(input: GenerationForwardInput): Promise<GenerationForwardOutput> {
    const checked = checkForwardInput(input, this, this.vocabSize);
    const outputs = await this.session.run(this.feeds(checked));
    const { batchSize, length, pastLength } = checked;
    const tensors: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      const match = PAST_NAME.exec(name);
      if (match) tensors[name] = outputs[presentName(Number(match[1]), match[2] as 'key' | 'value')];
    }
    const present = GenerationCache.fromState(
      { owner: this, tensors, mask: checked.mask },
      batchSize,
      pastLength + length,
    );
    const hiddenStates = this.layout.hiddenStates?.map((name) => tensorToFloat32(outputs[name]));
    return {
      batchSize,
      length,
      vocabSize: this.vocabSize,
      logits: tensorToFloat32(outputs.logits),
      present,
      ...(hiddenStates === undefined ? {} : { hiddenStates }),
    };
  }

  private feeds(input: ForwardInput): Record<string, ort.Tensor> {
    const { batchSize, length, pastLength } = input;
    const integers = (name: string, values: ArrayLike<number>, columns: number): ort.Tensor =>
      this.layout.integerInputs.get(name) === 'int32'
        ? new ort.Tensor('int32', Int32Array.from(values), [batchSize, columns])
        : new ort.Tensor(
            'int64',
            BigInt64Array.from(values, (v) => BigInt(v)),
            [batchSize, columns],
          );
    const feeds: Record<string, ort.Tensor> = { input_ids: integers('input_ids', input.ids, length) };
    if (this.layout.integerInputs.has('attention_mask')) {
      feeds.attention_mask = integers('attention_mask', input.mask, pastLength + length);
    }
    if (this.layout.integerInputs.has('position_ids')) {
      feeds.position_ids = integers('position_ids', input.positions, length);
    }
    if (this.layout.useCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', [pastLength > 0], [1]);
    const { kvHeads, headDim, cacheType } = this.layout;
    // An empty cache is a [batch, kv_heads, 0, head_dim] tensor: ONNX allows zero-size
    // dimensions, and Concat with it is the identity.
    const empty = new ort.Tensor(
      cacheType,
      cacheType === 'float16' ? new Uint16Array(0) : new Float32Array(0),
      [batchSize, kvHeads, 0, headDim],
    );
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (const name of [pastName(layer, 'key'), pastName(layer, 'value')]) {
        feeds[name] = input.past?.tensors[name] ?? empty;
      }
    }
    return feeds;
  }

  /** Releases the onnxruntime session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}
