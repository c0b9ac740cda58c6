import {
  type ProgressCallback,
  type RepresentationKey,
  type RepresentationStore,
  createRng,
  throwIfAborted,
} from '@xling/core';
import type { HiddenStateModel, Pooling } from '@xling/extract';
import { extractHiddenStates } from '@xling/extract';
import {
  type PreprocessReport,
  type ResolvedTreebank,
  type Sentence,
  createPreprocessor,
  readConllu,
} from '@xling/ud';

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
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
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
  const { store, model, modelName, layers, pooling, overflow, cap, seed, onProgress, signal } = options;
  const files = treebank.splits[split]?.files ?? [];
  const preprocessor = createPreprocessor();
  const sentences: Sentence[] = [];
  for (const file of files) {
    for await (const sentence of readConllu(file.path, { signal })) {
      const kept = preprocessor.apply(sentence);
      if (kept) sentences.push(kept);
    }
  }
  throwIfAborted(signal, 'extractSplit');
  let used = sentences;
  let storeSplit: string = split;
  if (sentences.length > cap) {
    const rng = createRng(seed).fork(`${treebank.name}/${split}`);
    const picked = rng
      .shuffle(sentences.map((_, i) => i))
      .slice(0, cap)
      .sort((a, b) => a - b);
    used = picked.map((i) => sentences[i]);
    storeSplit = `${split}.sample${cap}-seed${seed}`;
  }
  if (overflow === 'window') {
    storeSplit += '.windows';
  }
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
  return {
    treebank: treebank.name,
    split,
    storeSplit,
    available: sentences.length,
    used: used.length,
    stored: Number(store.entry(report.keys[0])?.info.storedSentences ?? used.length),
    preprocess: { ...preprocessor.report },
    keys: report.keys,
    forms: used.map((sentence) => sentence.words.map((w) => w.form)),
  };
}
