import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import {
  FileSystemError,
  InvalidArgumentError,
  ModelFolderError,
  checkOptions,
  float16ToFloat32,
} from '@xling/core';
import ort from 'onnxruntime-node';
import { modelFileSize } from './model-folder/model-file.js';
import { modelFingerprint } from './model-folder/model-fingerprint.js';
import {
  type ModelFolder,
  READ_MODEL_FOLDER_CONSTRAINTS,
  type ReadModelFolderOptions,
  readModelFolder,
} from './model-folder/read-model-folder.js';
import { createSession } from './onnx/create-session.js';
import { checkExecutionProviders } from './onnx/execution-providers.js';
import { derivedGraphPath, exposeHiddenStates, findDerivedGraph } from './onnx/expose-hidden-states.js';
import { type LayerTensor, findLayerTensors } from './onnx/find-layer-tensors.js';
import { type OnnxModelProto, readOnnxModel } from './onnx/read-onnx-model.js';
import { WordTokenizer } from './tokenize/word-tokenizer.js';

/** Options of {@link HiddenStateModel.load}. */
export interface HiddenStateModelOptions extends ReadModelFolderOptions {
  /**
   * Manual override of the layer tensors: entry i names the tensor (or the node whose first
   * output is the tensor) holding layer i's hidden states, for i = 0..numLayers. Use it when the
   * automatic search fails; `listLayerOutputs` shows the candidates.
   */
  layerTensors?: string[];
  /**
   * onnxruntime threads inside one operator; 0 lets onnxruntime choose (all cores).
   * @defaultValue `0`
   */
  intraOpNumThreads?: number;
  /**
   * onnxruntime execution providers in order of preference; `executionProvidersFor('cuda')` gives
   * `['cuda', 'cpu']`.
   * @defaultValue `['cpu']`
   */
  executionProviders?: string[];
  /** Longest token sequence (special tokens included); defaults to the model's own limit. */
  maxLength?: number;
  /**
   * Where the derived graph (see {@link HiddenStateModel.graphFile}) goes when the model folder
   * is read-only: `<cacheDir>/hidden-states/<key>/`, one folder per source graph.
   * @defaultValue `$XDG_CACHE_HOME/xling`, else `~/.cache/xling`
   */
  cacheDir?: string;
}

const CONSTRAINTS = {
  ...READ_MODEL_FOLDER_CONSTRAINTS,
  intraOpNumThreads: { type: 'integer', min: 0, optional: true },
  maxLength: { type: 'integer', min: 2, optional: true },
  cacheDir: { type: 'string', optional: true },
} as const;

/** Errors that say the model folder cannot be written, so the derived graph goes to the cache. */
const READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'xling');
}

/**
 * Cache folder of a source graph's derived graph, keyed by the source's real path, size and
 * modification time: a replaced model gets a fresh folder (the sidecar's fingerprint is checked
 * on reuse as well).
 */
async function derivedGraphCacheFolder(onnxFile: string, cacheDir: string): Promise<string> {
  const path = await realpath(onnxFile);
  const { size, mtimeMs } = await stat(path);
  const key = createHash('sha256').update(`${path}\n${size}\n${mtimeMs}`).digest('hex').slice(0, 16);
  return join(cacheDir, 'hidden-states', key);
}

/**
 * Saves the derived graph beside the source, or in `cacheFolder` when the model folder is
 * read-only (a shared model folder, a read-only mount).
 *
 * @throws XLING_FILE_SYSTEM when it cannot be saved in either place.
 */
async function saveDerivedGraph(
  model: OnnxModelProto,
  onnxFile: string,
  layers: LayerTensor[],
  rows: number | null,
  cacheFolder: string,
): Promise<string> {
  try {
    return await exposeHiddenStates(model, onnxFile, layers, rows);
  } catch (error) {
    if (!READ_ONLY_CODES.has((error as NodeJS.ErrnoException).code ?? '')) {
      throw FileSystemError.from(error, 'save the hidden-states graph', derivedGraphPath(onnxFile));
    }
  }
  try {
    return await exposeHiddenStates(model, onnxFile, layers, rows, cacheFolder);
  } catch (error) {
    throw FileSystemError.from(
      error,
      'save the hidden-states graph of a read-only model folder in the cache (options.cacheDir or $XDG_CACHE_HOME)',
      derivedGraphPath(onnxFile, cacheFolder),
    );
  }
}

function embeddingRows(model: OnnxModelProto, inputName: string): number | null {
  const graph = model.graph;
  const initializers = new Map(graph.initializer.map((t) => [t.name as string, t]));
  for (const node of graph.node) {
    if (node.opType === 'Gather' && node.input[1] === inputName && initializers.has(node.input[0])) {
      return Number(initializers.get(node.input[0])!.dims[0].toString());
    }
  }
  return null;
}

/** Checks that the external data files the graph names exist and are regular files. */
async function checkExternalData(model: OnnxModelProto, onnxFile: string): Promise<void> {
  const dir = dirname(onnxFile);
  const missing = new Set<string>();
  for (const tensor of model.graph.initializer) {
    if (tensor.dataLocation !== 1) continue;
    const location = tensor.externalData.find((e) => e.key === 'location')?.value;
    if (location && (await modelFileSize(dir, location)) === undefined) missing.add(location);
  }
  if (missing.size > 0) {
    throw new ModelFolderError(
      dir,
      `${basename(onnxFile)} keeps its weights in ${[...missing].join(', ')}, which is missing.`,
      [...missing],
    );
  }
}

function overrideLayers(
  model: OnnxModelProto,
  names: readonly string[],
  numLayers: number,
  onnxFile: string,
): LayerTensor[] {
  if (names.length !== numLayers + 1) {
    throw new ModelFolderError(
      dirname(onnxFile),
      `'layerTensors' must name ${numLayers + 1} tensors (layers 0..${numLayers}), but got ${names.length}.`,
    );
  }
  const nodes = new Map(model.graph.node.map((n) => [n.name as string, n]));
  return names.map((name, layer) => ({
    layer,
    tensor: nodes.has(name) ? (nodes.get(name)!.output[0] as string) : name,
    source: 'norm-output' as const,
  }));
}

/**
 * When the graph outputs per-layer hidden states (`hidden_states_<i>` / `hidden_states.<i>`) but
 * not as many as config.json's layer count implies, says so: the config does not fit the graph.
 */
function layerCountProblem(graphOutputs: readonly string[], numLayers: number): string | undefined {
  const outputs = graphOutputs.filter((name) => /^hidden_states[._]\d+$/.test(name)).length;
  if (outputs === 0 || outputs === numLayers + 1) return undefined;
  return `config.json has num_hidden_layers ${numLayers} (layers 0..${numLayers}), but the graph outputs the hidden states of ${outputs} layers (0..${outputs - 1}).`;
}

/**
 * Checks, before any run, that every id the tokenizer can give (special tokens included) has a
 * row in the embedding, which onnxruntime's Gather would otherwise reject mid-extraction.
 */
function checkTokenizerFits(folder: ModelFolder, tokenizer: WordTokenizer, rows: number | null): void {
  if (rows === null || tokenizer.maxId < rows) return;
  throw new ModelFolderError(
    folder.dir,
    `tokenizer.json has ${tokenizer.vocabSize} tokens, but the model's embedding has only ${rows} rows (token ids 0..${rows - 1}) while the tokenizer gives ids up to ${tokenizer.maxId}: the tokenizer does not belong to this model.`,
  );
}

/**
 * A model folder ready to give hidden states: its tokenizer, an onnxruntime session on a graph
 * that outputs every layer (the export's own `hidden_states.<i>` outputs, or a derived graph made
 * once by graph surgery and reused), the model's limits and its fingerprint.
 */
export class HiddenStateModel {
  readonly folder: ModelFolder;
  readonly tokenizer: WordTokenizer;
  /** Fingerprint of config.json, tokenizer.json and the ONNX graph. */
  readonly fingerprint: string;
  /** Tensor of each layer 0..numLayers. */
  readonly layers: readonly LayerTensor[];
  /**
   * Graph the session runs: the source, or its `.hidden-states.onnx` beside it (or in the cache
   * when the model folder is read-only).
   */
  readonly graphFile: string;
  /** Longest token sequence, special tokens included. */
  readonly maxLength: number;
  /** Rows of the token embedding (from the graph, else config.json's vocab_size), if known. */
  readonly embeddingRows: number | null;
  private readonly session: ort.InferenceSession;
  private readonly inputTypes: Map<string, string>;

  private constructor(
    folder: ModelFolder,
    tokenizer: WordTokenizer,
    fingerprint: string,
    layers: LayerTensor[],
    graphFile: string,
    session: ort.InferenceSession,
    maxLength: number,
    embeddingRows: number | null,
  ) {
    this.folder = folder;
    this.tokenizer = tokenizer;
    this.fingerprint = fingerprint;
    this.layers = layers;
    this.graphFile = graphFile;
    this.session = session;
    this.maxLength = maxLength;
    this.embeddingRows = embeddingRows;
    this.inputTypes = new Map();
    for (const meta of session.inputMetadata) {
      this.inputTypes.set(meta.name, meta.isTensor ? meta.type : 'unknown');
    }
  }

  /** Number of transformer blocks; valid layers are 0..numLayers. */
  get numLayers(): number {
    return this.folder.numLayers;
  }

  /** Width of the hidden states. */
  get hiddenSize(): number {
    return this.folder.hiddenSize;
  }

  /**
   * Opens a model folder (see {@link readModelFolder}), loads its tokenizer, finds or derives a
   * graph that outputs every layer, and starts an onnxruntime session. The derived graph is
   * saved once beside the source, or in `options.cacheDir` when the model folder is read-only.
   *
   * @throws XLING_MODEL_FOLDER for missing or corrupt files, a tokenizer whose vocabulary is
   * larger than the model's embedding, or a graph whose layers cannot be found.
   * @throws XLING_FILE_SYSTEM when a derived graph is needed and can be saved neither beside the
   * source nor in the cache.
   * @throws XLING_BACKEND_UNAVAILABLE, before reading the folder, when an execution provider is not
   * installed (e.g. `cuda` without the GPU files of onnxruntime-node).
   */
  static async load(dir: string, options: HiddenStateModelOptions = {}): Promise<HiddenStateModel> {
    const { layerTensors, executionProviders = ['cpu'], ...checked } = options;
    checkOptions(checked, CONSTRAINTS, 'HiddenStateModel.load');
    for (const [name, value] of [
      ['layerTensors', layerTensors ?? []],
      ['executionProviders', executionProviders],
    ] as const) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw new InvalidArgumentError(
          `options.${name}`,
          'HiddenStateModel.load',
          `must be an array of strings, but got ${JSON.stringify(value)}.`,
        );
      }
    }
    // Before the folder is read: deriving the hidden-states graph of a large model takes minutes.
    checkExecutionProviders(executionProviders);
    const { intraOpNumThreads = 0, maxLength, cacheDir = defaultCacheDir(), ...folderOptions } = checked;
    const folder = await readModelFolder(dir, folderOptions);
    const tokenizer = WordTokenizer.load(folder);
    const fingerprint = await modelFingerprint(folder);
    const cacheFolder = await derivedGraphCacheFolder(folder.onnxFile, cacheDir);

    let graphFile = folder.onnxFile;
    let layers: LayerTensor[];
    let rows: number | null;
    const derived = layerTensors
      ? undefined
      : ((await findDerivedGraph(folder.onnxFile)) ??
        (await findDerivedGraph(folder.onnxFile, undefined, cacheFolder)));
    if (derived && derived.layers.length === folder.numLayers + 1) {
      graphFile = derived.file;
      layers = derived.layers;
      rows = derived.embeddingRows;
    } else {
      const model = await readOnnxModel(folder.onnxFile);
      await checkExternalData(model, folder.onnxFile);
      const inputIds = model.graph.input.find((i) => i.name === 'input_ids');
      if (!inputIds)
        throw new ModelFolderError(folder.dir, `${basename(folder.onnxFile)} has no 'input_ids' input.`);
      rows = embeddingRows(model, 'input_ids');
      if (layerTensors) {
        layers = overrideLayers(model, layerTensors, folder.numLayers, folder.onnxFile);
      } else {
        const found = findLayerTensors(model, folder.family, folder.numLayers);
        if (!found.layers)
          throw new ModelFolderError(
            folder.dir,
            `cannot find the layers of ${basename(folder.onnxFile)}: ${layerCountProblem(found.graphOutputs, folder.numLayers) ?? found.problem}`,
          );
        layers = found.layers;
      }
      const declared = new Set(model.graph.output.map((o) => o.name as string));
      if (!layers.every((l) => declared.has(l.tensor))) {
        graphFile = await saveDerivedGraph(model, folder.onnxFile, layers, rows, cacheFolder);
      }
    }
    const vocabRows =
      rows ?? (Number.isSafeInteger(folder.config.vocab_size) ? (folder.config.vocab_size as number) : null);
    checkTokenizerFits(folder, tokenizer, vocabRows);
    // A derived graph or a symlinked source must not be a pipe or device either.
    await modelFileSize(folder.dir, relative(folder.dir, graphFile));
    // A graph in the cache reads its external weights from the model folder. (Only then: naming
    // the folder explicitly would refuse weights that are symlinks into another folder.)
    const sourceDir = dirname(folder.onnxFile);
    const session = await createSession(graphFile, {
      intraOpNumThreads,
      executionProviders,
      externalDataDir: dirname(graphFile) === sourceDir ? undefined : sourceDir,
    });
    for (const name of session.inputNames) {
      if (name.startsWith('past_key_values') || name === 'use_cache_branch') {
        throw new ModelFolderError(
          folder.dir,
          `${basename(folder.onnxFile)} expects '${name}' (an export with past key values); export without past, e.g. optimum-cli export onnx --task feature-extraction.`,
        );
      }
      if (!['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'].includes(name)) {
        throw new ModelFolderError(
          folder.dir,
          `${basename(folder.onnxFile)} has an input '${name}' that xling does not know how to feed.`,
        );
      }
    }
    return new HiddenStateModel(
      folder,
      tokenizer,
      fingerprint,
      layers,
      graphFile,
      session,
      maxLength ?? folder.maxLength,
      vocabRows,
    );
  }

  /**
   * Runs one padded batch. `ids` is `batch × length` row-major (right-padded), `lengths[b]` the
   * real length of row b. Returns each requested layer's hidden states as a float32
   * `batch × length × hiddenSize` array.
   *
   * @throws XLING_INVALID_ARGUMENT for a token id outside the embedding (onnxruntime's Gather
   * would fail with an internal error).
   */
  async run(
    ids: Int32Array,
    lengths: readonly number[],
    length: number,
    layers: readonly number[],
  ): Promise<Map<number, Float32Array>> {
    this.checkIds(ids);
    const batch = lengths.length;
    const shape = [batch, length];
    const make = (name: string, fill: (b: number, t: number) => number): ort.Tensor => {
      const type = this.inputTypes.get(name) === 'int32' ? 'int32' : 'int64';
      const data = type === 'int32' ? new Int32Array(batch * length) : new BigInt64Array(batch * length);
      for (let b = 0; b < batch; b++) {
        for (let t = 0; t < length; t++) {
          const v = fill(b, t);
          if (type === 'int32') (data as Int32Array)[b * length + t] = v;
          else (data as BigInt64Array)[b * length + t] = BigInt(v);
        }
      }
      return new ort.Tensor(type, data, shape);
    };
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      if (name === 'input_ids') feeds[name] = make(name, (b, t) => ids[b * length + t]);
      else if (name === 'attention_mask') feeds[name] = make(name, (b, t) => (t < lengths[b] ? 1 : 0));
      else if (name === 'token_type_ids') feeds[name] = make(name, () => 0);
      else if (name === 'position_ids') feeds[name] = make(name, (_b, t) => t);
    }
    const names = [...new Set(layers.map((layer) => this.layers[layer].tensor))];
    const outputs = await this.session.run(feeds, names);
    const result = new Map<number, Float32Array>();
    for (const layer of layers) {
      const tensor = outputs[this.layers[layer].tensor];
      const data =
        tensor.type === 'float16'
          ? float16ToFloat32(
              new Uint16Array(
                (tensor.data as unknown as Uint16Array).buffer,
                (tensor.data as unknown as Uint16Array).byteOffset,
                tensor.size,
              ),
            )
          : (tensor.data as Float32Array);
      result.set(layer, data);
    }
    return result;
  }

  private checkIds(ids: Int32Array): void {
    const rows = this.embeddingRows ?? 2 ** 31;
    const at = ids.findIndex((id) => id < 0 || id >= rows);
    if (at >= 0) {
      throw new InvalidArgumentError(
        'ids',
        'HiddenStateModel.run',
        `must hold token ids from 0 to ${rows - 1} (the embedding has ${rows} rows), but position ${at} holds ${ids[at]}.`,
      );
    }
  }

  /** Releases the onnxruntime session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}
