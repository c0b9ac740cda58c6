import type { ProgressCallback, RepresentationKey, RepresentationStore } from '@xling/core';
import type { HiddenStateModel, Pooling } from '@xling/extract';
import { extractHiddenStates } from '@xling/extract';
import type { PreprocessReport, ResolvedTreebank } from '@xling/ud';
import { readSplit } from './read-split.js';

/** One split of one treebank as the experiment uses it. */
export interface ExtractedSplit {
  treebank: string;
  split: 'train' | 'dev' | 'test';
  /** Split name in the store key: the UD split, plus the sample when the split was capped. */
  storeSplit: string;
  /** Sentences after pre-processing, before the cap. */
  available: number;
  /** Sentences kept (the seeded sample when `available` exceeds the cap). */
  used: number;
  /** Sentences in the store: `used` minus those too long for the model (with `overflow: 'skip'`). */
  stored: number;
  /** What METHOD.md's pre-processing changed or removed. */
  preprocess: PreprocessReport;
  /** Store keys, one per layer. */
  keys: RepresentationKey[];
  /** Word forms of the kept sentences, in input order (the store's `sentence_index` points here). */
  forms: string[][];
}

/** Options of {@link extractSplit}. */
export interface ExtractSplitOptions {
  store: RepresentationStore;
  model: HiddenStateModel;
  modelName: string;
  layers: number[];
  pooling: Pooling;
  /** Sentences longer than the model's limit: skipped (METHOD.md) or cut into windows. */
  overflow: 'skip' | 'window';
  /** Most sentences to keep; a seeded sample (in file order) above it. */
  cap: number;
  seed: number;
  /**
   * Chooses the store to extract into once the split's keys are known (sharded extraction writes
   * per-unit stores; an unsharded run first adopts their entries into `store`).
   * @defaultValue `store`
   */
  storeFor?: (keys: RepresentationKey[]) => Promise<RepresentationStore>;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** A split's name in the store: its sample, marked when long sentences were cut into windows. */
export function storeSplitName(sample: string, overflow: 'skip' | 'window'): string {
  return overflow === 'window' ? `${sample}.windows` : sample;
}

/** The store keys of a split, one per layer. */
export function splitKeys(
  options: Pick<ExtractSplitOptions, 'modelName' | 'layers' | 'pooling'>,
  treebank: string,
  storeSplit: string,
): RepresentationKey[] {
  const { modelName, layers, pooling } = options;
  return layers.map((layer) => ({ model: modelName, layer, pooling, treebank, split: storeSplit }));
}

/**
 * Reads a treebank split (all its files), applies METHOD.md's pre-processing (merge multiword
 * tokens, drop empty nodes, strip subtypes, at most 128 words, valid trees), keeps a seeded sample
 * of at most `cap` sentences in file order, and extracts its hidden states into the store
 * (resumable; a complete entry is not recomputed). The sample depends only on the treebank, split,
 * cap and seed, and is part of the store key, so different caps never mix.
 */
export async function extractSplit(
  treebank: ResolvedTreebank,
  split: 'train' | 'dev' | 'test',
  options: ExtractSplitOptions,
): Promise<ExtractedSplit> {
  const { model, modelName, layers, pooling, overflow, cap, seed, onProgress, signal } = options;
  const read = await readSplit(treebank, split, { cap, seed, signal });
  const { sentences: used } = read;
  const storeSplit = storeSplitName(read.sample, overflow);
  const keys = splitKeys(options, treebank.name, storeSplit);
  const store = options.storeFor ? await options.storeFor(keys) : options.store;
  const report = await extractHiddenStates(model, used, {
    store,
    treebank: treebank.name,
    split: storeSplit,
    layers,
    pooling,
    modelName,
    overflow,
    onProgress,
    signal,
  });
  const facts: ReadFacts = {
    treebank: treebank.name,
    split,
    storeSplit,
    available: read.available,
    used: used.length,
    preprocess: read.preprocess,
    keys: report.keys,
    forms: used.map((sentence) => sentence.words.map((w) => w.form)),
  };
  return withStored(facts, store);
}

/** An {@link ExtractedSplit} without `stored`, which its store's entry says. */
export type ReadFacts = Omit<ExtractedSplit, 'stored'>;

/** `facts` with the sentences its store's entry says were stored (all used, unless skipped as too long). */
export function withStored(facts: ReadFacts, store: RepresentationStore): ExtractedSplit {
  return { ...facts, stored: Number(store.entry(facts.keys[0])?.info.storedSentences ?? facts.used) };
}
