import { basename } from 'node:path';
import {
  DEPREL_LABELS,
  InvalidArgumentError,
  type ProgressCallback,
  type RepresentationKey,
  RepresentationStore,
  type Tensor,
  UPOS_LABELS,
  checkOptions,
  float32ToFloat16,
  stripDeprelSubtype,
  throwIfAborted,
} from '@xling/core';
import { EMBED_CONSTRAINTS } from './embed-sentences.js';
import { type EmbeddedWords, embedWords } from './embed-words.js';
import { checkLayers, checkPoolings } from './extract-options.js';
import type { HiddenStateModel } from './hidden-state-model.js';
import type { Pooling } from './pooling/pool-words.js';
import type { EmptyWord, Overflow } from './tokenize/build-sequences.js';

/** The fields of a UD word that extraction reads (a `@xling/ud` `Word` fits). */
export interface ExtractWord {
  form: string;
  upos?: string;
  head?: number | null;
  deprel?: string;
}

/** A pre-tokenised sentence (a `@xling/ud` `Sentence` fits). */
export interface ExtractSentence {
  words: readonly ExtractWord[];
  /** 1-based line of the sentence in its CoNLL-U file (stored as `sentence_line`), if known. */
  line?: number;
}

/** Options of {@link extractHiddenStates}. */
export interface ExtractHiddenStatesOptions {
  /** Store to write into. */
  store: RepresentationStore;
  /** Treebank name of the store key, e.g. `UD_English-EWT`. */
  treebank: string;
  /** Split of the store key: `train`, `dev` or `test`. */
  split: string;
  /** Layers, 0 = embeddings up to `model.numLayers`; one store entry per layer and pooling. */
  layers: number[];
  /**
   * Sub-word pooling, one or several.
   * @defaultValue `'first'` for encoders, `'last'` for decoders
   */
  pooling?: Pooling | Pooling[];
  /**
   * Model name of the store key.
   * @defaultValue the model folder's name
   */
  modelName?: string;
  /**
   * Element type of the stored vectors.
   * @defaultValue `'float32'`
   */
  dtype?: 'float32' | 'float16';
  /**
   * Input sentences per shard (the unit of resumption); must stay the same across a resume.
   * @defaultValue `256`
   */
  shardSize?: number;
  /**
   * Padded tokens per onnxruntime batch.
   * @defaultValue `4096`
   */
  batchTokens?: number;
  /**
   * Sentences longer than the model's limit: `'skip'` (they leave a gap in `sentence_index`) or
   * `'window'` (cut into windows of whole words, each with its own special tokens).
   * @defaultValue `'skip'`
   */
  overflow?: Overflow;
  /**
   * Words that tokenise to nothing: `'unk'` gives them the unknown token, `'error'` throws.
   * @defaultValue `'unk'`
   */
  emptyWord?: EmptyWord;
  /** Sentences expected, for the ETA when `sentences` is not an array. */
  total?: number;
  /**
   * Drop what a previous run stored for these keys and start over.
   * @defaultValue `false`
   */
  restart?: boolean;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** What {@link extractHiddenStates} did. */
export interface ExtractReport {
  /** One key per (layer, pooling), all complete. */
  keys: RepresentationKey[];
  /** Input sentences seen. */
  sentences: number;
  /** Sentences stored by this run (sentences resumed from earlier shards are not counted). */
  stored: number;
  /** Sentences skipped by this run, with the reason (too long for the model). */
  skipped: Array<{ index: number; reason: string }>;
  /** Words that tokenised to nothing and got the unknown token (this run). */
  emptyWords: number;
  /** Tokens run through the model by this run, special tokens included. */
  tokens: number;
  /** Shards already present when the run started (resumed). */
  resumedShards: number;
  /** Whether every key was already complete, so nothing was computed. */
  alreadyComplete: boolean;
}

const CONSTRAINTS = {
  ...EMBED_CONSTRAINTS,
  treebank: { type: 'string' },
  split: { type: 'string' },
  modelName: { type: 'string', optional: true },
  dtype: { type: 'enum', values: ['float32', 'float16'] },
  shardSize: { type: 'integer', min: 1, optional: true },
  total: { type: 'integer', min: 0, optional: true },
  restart: { type: 'boolean', optional: true },
  onProgress: { type: 'function', optional: true },
} as const;

const UPOS_INDEX = new Map(UPOS_LABELS.map((l, i) => [l as string, i]));
const DEPREL_INDEX = new Map(DEPREL_LABELS.map((l, i) => [l as string, i]));

function vectors(data: Float32Array, rows: number, d: number, dtype: 'float32' | 'float16'): Tensor {
  return dtype === 'float16'
    ? { dtype: 'F16', shape: [rows, d], data: float32ToFloat16(data) }
    : { dtype: 'F32', shape: [rows, d], data };
}

function int32(values: number[]): Tensor {
  return { dtype: 'I32', shape: [values.length], data: Int32Array.from(values) };
}

/**
 * Turns a treebank split into word-level hidden states in a {@link RepresentationStore}: one
 * entry per (model, layer, pooling, treebank, split), written in shards of `shardSize` input
 * sentences. Each shard holds (`W` words and `S` stored sentences in the shard, `d` = hidden size):
 *
 * - `words` — `F32`/`F16` `[W, d]`: pooled word vectors, sentences in input order;
 * - `root` — `F32`/`F16` `[S, d]`: the [CLS]/BOS vector of each sentence (the root's head vector
 *   for deprel differences; zeros for families without a start token, e.g. GPT-2);
 * - `word_counts` — `I32` `[S]`: words per sentence (row offsets into `words`);
 * - `sentence_index` — `I32` `[S]`: 0-based index of the sentence in the input (skipped sentences
 *   leave gaps);
 * - `sentence_line` — `I32` `[S]`: 1-based line of the sentence in its CoNLL-U file (`Sentence.line`
 *   of `@xling/ud`), -1 when the input has none;
 * - `subword_counts` — `I32` `[W]`: sub-word pieces per word;
 * - `upos` — `I32` `[W]`: index in `UPOS_LABELS`, -1 when unknown;
 * - `deprel` — `I32` `[W]`: index in `DEPREL_LABELS` after stripping the subtype, -1 when unknown;
 * - `head` — `I32` `[W]`: the gold head (1-based within the sentence, 0 = root, -1 when absent).
 *
 * A rerun resumes after the last finished shard of every key (a killed run never leaves a
 * half-written or duplicated shard), and returns at once when every key is complete. The
 * model's fingerprint is stored with each entry; another model writing the same key fails.
 *
 * @throws XLING_INVALID_ARGUMENT for bad options, a layer out of range, an empty sentence.
 * @throws XLING_STORE_MISMATCH when the store holds a key from a model with another fingerprint.
 * @throws XLING_ABORTED when `signal` fires (finished shards stay; rerun to resume).
 */
export async function extractHiddenStates(
  model: HiddenStateModel,
  sentences: Iterable<ExtractSentence> | AsyncIterable<ExtractSentence>,
  options: ExtractHiddenStatesOptions,
): Promise<ExtractReport> {
  const fn = 'extractHiddenStates';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      fn,
      'must be an object with store, treebank, split and layers.',
    );
  }
  const { store, layers: rawLayers, pooling, signal, ...rest } = options;
  checkOptions({ dtype: 'float32', ...rest }, CONSTRAINTS, fn);
  if (!(store instanceof RepresentationStore)) {
    throw new InvalidArgumentError(
      'options.store',
      fn,
      'must be a RepresentationStore (RepresentationStore.open(dir)).',
    );
  }
  const {
    treebank,
    split,
    modelName = basename(model.folder.dir),
    dtype = 'float32',
    shardSize = 256,
    batchTokens = 4096,
    overflow = 'skip',
    emptyWord = 'unk',
    restart = false,
    onProgress,
  } = rest;
  for (const [name, value] of [
    ['treebank', treebank],
    ['split', split],
  ] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new InvalidArgumentError(
        `options.${name}`,
        fn,
        `must be a non-empty string, but got ${JSON.stringify(value)}.`,
      );
    }
  }
  const layers = checkLayers(model, rawLayers, fn);
  const poolings = checkPoolings(model, pooling, fn);
  const total = options.total ?? (Array.isArray(sentences) ? sentences.length : undefined);
  const d = model.hiddenSize;

  const keys: RepresentationKey[] = [];
  for (const layer of layers)
    for (const p of poolings) keys.push({ model: modelName, layer, pooling: p, treebank, split });
  const info = {
    dimension: d,
    dtype,
    shardSize,
    overflow,
    family: model.folder.family.name,
    rootVector:
      model.tokenizer.startId === null ? 'zero' : model.folder.family.start === 'cls' ? 'cls' : 'bos',
    maxLength: model.maxLength,
  };
  const entries = [];
  for (const key of keys) {
    const existing = store.entry(key);
    if (existing && !restart && existing.shards.length > 0) {
      // Shards of one entry must agree, so a resume must keep what shaped the earlier shards.
      const kept: Record<string, unknown> = { shardSize, dtype, overflow };
      for (const [name, value] of Object.entries(kept)) {
        if (existing.info[name] !== value) {
          throw new InvalidArgumentError(
            `options.${name}`,
            fn,
            `must stay ${JSON.stringify(existing.info[name])} to resume ${key.model} layer ${key.layer} ${treebank}/${split}, but got ${JSON.stringify(value)} (or pass restart: true).`,
          );
        }
      }
    }
    if (existing?.status === 'complete' && !restart) {
      if (existing.fingerprint !== model.fingerprint) await store.begin(key, model.fingerprint); // throws XLING_STORE_MISMATCH
      entries.push(existing);
      continue;
    }
    entries.push(await store.begin(key, model.fingerprint, info, { restart }));
  }
  const pending = entries.filter((e) => e.status !== 'complete');
  const report: ExtractReport = {
    keys,
    sentences: 0,
    stored: 0,
    skipped: [],
    emptyWords: 0,
    tokens: 0,
    resumedShards: pending.length === 0 ? 0 : Math.min(...pending.map((e) => e.shards.length)),
    alreadyComplete: pending.length === 0,
  };
  if (pending.length === 0) return report;

  const label = `${treebank}/${split}`;
  onProgress?.({ status: 'start', task: fn, label, total, unit: 'sentence' });
  const started = performance.now();
  let computed = 0;
  let shard: ExtractSentence[] = [];
  let shardNumber = 0;

  const flush = async (): Promise<void> => {
    const number = shardNumber++;
    const first = number * shardSize;
    const batch = shard;
    shard = [];
    if (number < report.resumedShards) return;
    throwIfAborted(signal, fn);
    const forms = batch.map((s, i) => {
      if (!s || !Array.isArray(s.words)) {
        throw new InvalidArgumentError(
          'sentences',
          fn,
          `must hold sentences with a 'words' array, but sentence ${first + i} has none.`,
        );
      }
      return s.words.map((w) => w.form);
    });
    const embedded = await embedWords(model, forms, {
      layers,
      poolings,
      maxLength: model.maxLength,
      overflow,
      emptyWord,
      batchTokens,
      functionName: fn,
      firstIndex: first,
      signal,
    });
    throwIfAborted(signal, fn);
    const kept: Array<{
      index: number;
      sentence: ExtractSentence;
      e: Extract<EmbeddedWords, { skipped: false }>;
    }> = [];
    embedded.forEach((e, i) => {
      if (e.skipped) report.skipped.push({ index: first + i, reason: e.reason });
      else {
        kept.push({ index: first + i, sentence: batch[i], e });
        report.tokens += e.tokens;
        report.emptyWords += e.emptyWords;
      }
    });
    const wordCount = kept.reduce((n, k) => n + k.e.subwordCounts.length, 0);
    const shared: Record<string, Tensor> = {
      word_counts: int32(kept.map((k) => k.e.subwordCounts.length)),
      sentence_index: int32(kept.map((k) => k.index)),
      sentence_line: int32(
        kept.map((k) => (Number.isInteger(k.sentence.line) ? (k.sentence.line as number) : -1)),
      ),
      subword_counts: int32(kept.flatMap((k) => k.e.subwordCounts)),
      upos: int32(kept.flatMap((k) => k.sentence.words.map((w) => UPOS_INDEX.get(w.upos ?? '') ?? -1))),
      deprel: int32(
        kept.flatMap((k) =>
          k.sentence.words.map((w) => DEPREL_INDEX.get(stripDeprelSubtype(w.deprel ?? '')) ?? -1),
        ),
      ),
      head: int32(
        kept.flatMap((k) => k.sentence.words.map((w) => (typeof w.head === 'number' ? w.head : -1))),
      ),
    };
    for (const entry of pending) {
      if (entry.shards.length > number) continue; // this key already has the shard (an earlier run got further)
      const { layer, pooling: p } = entry.key;
      const words = new Float32Array(wordCount * d);
      const root = new Float32Array(kept.length * d);
      let row = 0;
      kept.forEach((k, s) => {
        words.set(k.e.words.get(layer)!.get(p as Pooling)!, row * d);
        root.set(k.e.root.get(layer)!, s * d);
        row += k.e.subwordCounts.length;
      });
      await store.appendShard(
        entry.key,
        { ...shared, words: vectors(words, wordCount, d, dtype), root: vectors(root, kept.length, d, dtype) },
        kept.length,
      );
    }
    report.stored += kept.length;
    computed += batch.length;
    const seconds = (performance.now() - started) / 1000;
    const rate = computed / seconds;
    onProgress?.({
      status: 'progress',
      task: fn,
      label,
      done: report.sentences,
      total,
      unit: 'sentence',
      metrics: {
        sentencesPerSecond: rate,
        tokensPerSecond: report.tokens / seconds,
        ...(total === undefined ? {} : { etaSeconds: Math.max(0, total - report.sentences) / rate }),
      },
    });
  };

  for await (const sentence of sentences) {
    shard.push(sentence);
    report.sentences++;
    if (shard.length === shardSize) await flush();
  }
  if (shard.length > 0) await flush();
  for (const entry of pending) {
    if (entry.shards.length < shardNumber) {
      throw new InvalidArgumentError(
        'sentences',
        fn,
        `yielded fewer sentences (${report.sentences}) than an earlier run stored for ${entry.key.model} layer ${entry.key.layer} ${label}; pass restart: true.`,
      );
    }
    await store.complete(entry.key, {
      sentences: report.sentences,
      storedSentences: entry.shards.reduce((n, s) => n + s.sentences, 0),
    });
  }
  onProgress?.({ status: 'end', task: fn, label, done: report.sentences, total, unit: 'sentence' });
  return report;
}
