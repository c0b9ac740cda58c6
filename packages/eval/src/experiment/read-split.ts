import { createRng, throwIfAborted } from '@xling/core';
import {
  type PreprocessReport,
  type ResolvedTreebank,
  type Sentence,
  createPreprocessor,
  readConllu,
} from '@xling/ud';

/** A treebank split as the experiment reads it: pre-processed, and sampled above a cap. */
export interface ReadSplit {
  /** The kept sentences, in file order. */
  sentences: Sentence[];
  /** Sentences after pre-processing, before the cap. */
  available: number;
  /** The split's name with its sample, `<split>[.sample<cap>-seed<seed>]` (a store key part). */
  sample: string;
  preprocess: PreprocessReport;
}

/**
 * At most `cap` of `items`, a seeded sample kept in input order (all of them under the cap). The
 * sample depends only on `fork`, the item count, the cap and the seed.
 */
export function sampleInOrder<T>(items: readonly T[], cap: number, seed: number, fork: string): T[] {
  if (items.length <= cap) return [...items];
  return createRng(seed)
    .fork(fork)
    .shuffle(items.map((_, i) => i))
    .slice(0, cap)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}

/** The name of a split's sample of at most `cap` of `available` sentences (a store key part). */
export function sampleName(split: string, available: number, cap: number, seed: number): string {
  return available > cap ? `${split}.sample${cap}-seed${seed}` : split;
}

/**
 * Reads a treebank split (all its files), applies METHOD.md's pre-processing (merge multiword
 * tokens, drop empty nodes, strip subtypes, at most 128 words, valid trees) and keeps a seeded
 * sample of at most `cap` sentences in file order: the sentences every stage of an experiment
 * sees for that treebank, split, cap and seed.
 */
export async function readSplit(
  treebank: ResolvedTreebank,
  split: 'train' | 'dev' | 'test',
  options: { cap: number; seed: number; signal?: AbortSignal },
): Promise<ReadSplit> {
  const { cap, seed, signal } = options;
  const preprocessor = createPreprocessor();
  const all: Sentence[] = [];
  for (const file of treebank.splits[split]?.files ?? []) {
    for await (const sentence of readConllu(file.path, { signal })) {
      const kept = preprocessor.apply(sentence);
      if (kept) all.push(kept);
    }
  }
  throwIfAborted(signal, 'readSplit');
  return {
    sentences: sampleInOrder(all, cap, seed, `${treebank.name}/${split}`),
    available: all.length,
    sample: sampleName(split, all.length, cap, seed),
    preprocess: { ...preprocessor.report },
  };
}
