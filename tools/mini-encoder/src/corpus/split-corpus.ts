import { createRng } from '@xling/core';
import { bertNormalize, bertPreTokenize } from '../tokenizer/bert-pre-tokenize.js';
import type { UdCorpusFile } from './read-ud-corpus.js';

/** One language's sentences after the held-out split. */
export interface LanguageCorpus {
  language: string;
  /** `treebank/split` files it came from. */
  sources: string[];
  train: string[][];
  heldOut: string[][];
}

/** Options of {@link splitCorpus}. */
export interface SplitCorpusOptions {
  /** Seed of the held-out draw. @defaultValue 1 */
  seed?: number;
  /** Held-out share of each language's sentences. @defaultValue 0.05 */
  heldOutFraction?: number;
  /** At most this many held-out sentences per language. @defaultValue 50 */
  maxHeldOut?: number;
  /** Languages with fewer sentences get no held-out set. @defaultValue 100 */
  minSentencesForHeldOut?: number;
}

/**
 * Groups the files by language and holds out a seeded random subset of each language's
 * sentences (train and dev pooled: many languages have only dev here) for the masked-LM
 * evaluation; the vocabulary and the model never see the held-out sentences.
 */
export function splitCorpus(
  files: readonly UdCorpusFile[],
  options: SplitCorpusOptions = {},
): LanguageCorpus[] {
  const { seed = 1, heldOutFraction = 0.05, maxHeldOut = 50, minSentencesForHeldOut = 100 } = options;
  const byLanguage = new Map<string, { sources: string[]; sentences: string[][] }>();
  for (const f of files) {
    const entry = byLanguage.get(f.language) ?? { sources: [], sentences: [] };
    entry.sources.push(`${f.treebank}/${f.split}`);
    for (const s of f.sentences) entry.sentences.push(s);
    byLanguage.set(f.language, entry);
  }
  const rng = createRng(seed);
  return [...byLanguage.keys()].sort().map((language) => {
    const { sources, sentences } = byLanguage.get(language)!;
    const n = sentences.length;
    const k =
      n < minSentencesForHeldOut ? 0 : Math.min(maxHeldOut, Math.max(1, Math.round(n * heldOutFraction)));
    const order = rng.fork(`held-out-${language}`).shuffle([...Array(n).keys()]);
    const held = new Set(order.slice(0, k));
    return {
      language,
      sources,
      train: sentences.filter((_, i) => !held.has(i)),
      heldOut: sentences.filter((_, i) => held.has(i)),
    };
  });
}

/**
 * Temperature sampling over languages (Conneau & Lample 2019, XLM): language `l` with `n_l`
 * training words is drawn with probability proportional to `n_l ** alpha`; alpha = 1 keeps the
 * natural proportions, alpha -> 0 makes languages uniform.
 *
 * @see https://arxiv.org/abs/1901.07291 section 3.1
 */
export function languageProbabilities(sizes: readonly number[], alpha: number): number[] {
  const w = sizes.map((n) => (n > 0 ? n ** alpha : 0));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/**
 * Word counts for the vocabulary trainer, balanced over languages: each language's piece counts
 * (after BERT normalisation and pre-tokenisation) are rescaled so its share of the total equals
 * its temperature-sampling probability, then rounded to integers (the expected counts of a
 * temperature-sampled corpus of `totalPieces` pieces, without sampling noise).
 */
export function balancedWordCounts(
  corpora: readonly LanguageCorpus[],
  alpha: number,
  totalPieces = 20_000_000,
): Map<string, number> {
  const perLanguage = corpora.map((c) => {
    const counts = new Map<string, number>();
    let total = 0;
    for (const sentence of c.train) {
      for (const word of sentence) {
        for (const piece of bertPreTokenize(bertNormalize(word))) {
          counts.set(piece, (counts.get(piece) ?? 0) + 1);
          total++;
        }
      }
    }
    return { counts, total };
  });
  const p = languageProbabilities(
    perLanguage.map((x) => x.total),
    alpha,
  );
  const out = new Map<string, number>();
  perLanguage.forEach(({ counts, total }, l) => {
    if (total === 0) return;
    const scale = (p[l] * totalPieces) / total;
    for (const [piece, c] of counts) out.set(piece, (out.get(piece) ?? 0) + c * scale);
  });
  for (const [piece, c] of out) {
    const r = Math.round(c);
    if (r > 0) out.set(piece, r);
    else out.delete(piece);
  }
  return out;
}
