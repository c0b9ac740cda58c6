import { checkOptions, createRng, InvalidArgumentError, type Rng } from '@xling/core';
import { scoreEntries } from './accuracy-spread.js';
import { quantileSorted } from './quantile.js';

/** Which languages are low- and which high-resource. */
export interface ResourceGroups {
  /** Low-resource languages (e.g. test-only treebanks). */
  low: readonly string[];
  /** High-resource languages. */
  high: readonly string[];
}

/** Options of {@link resourceGap}. */
export interface ResourceGapOptions {
  /** Number of bootstrap resamples. @defaultValue 1000 */
  resamples?: number;
  /** Miss rate of the interval. @defaultValue 0.05 */
  alpha?: number;
  /** Seed of the resampling generator. @defaultValue 0 */
  seed?: number;
}

/** Result of {@link resourceGap}. */
export interface ResourceGap {
  /** The low-resource languages used. */
  low: string[];
  /** The high-resource languages used. */
  high: string[];
  /** Mean score of the low-resource languages. */
  lowMean: number;
  /** Mean score of the high-resource languages. */
  highMean: number;
  /** `highMean - lowMean`: positive when low-resource languages lag behind. */
  gap: number;
  /** Lower percentile bound of the gap. */
  lower: number;
  /** Upper percentile bound of the gap. */
  upper: number;
  alpha: number;
  resamples: number;
}

export const gapConstraints = {
  resamples: { type: 'integer', min: 1, max: 10_000_000, optional: true },
  alpha: { type: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true, optional: true },
  seed: { type: 'integer', optional: true },
} as const;

/**
 * The low- vs high-resource gap: mean score of the high-resource languages minus the mean of the
 * low-resource ones, with a stratified percentile bootstrap over languages (each resample draws
 * `low.length` languages from `low` and then `high.length` from `high`, with replacement, using
 * `createRng(seed)`). The interval says how much the gap depends on which languages were studied.
 *
 * @param scores - per-language scores, e.g. accuracies `{ en: 0.95, wo: 0.61 }`
 * @param groups - the low- and high-resource language lists (each non-empty, disjoint, present in `scores`)
 * @throws XLING_INVALID_ARGUMENT when a grouped language has no score, a group is empty, or groups overlap.
 * @see Efron & Tibshirani (1993), ch. 13 (percentile interval); stratified resampling, Davison & Hinkley (1997) 3.2
 * @example
 * resourceGap({ de: 0.9, fr: 0.88, wo: 0.6, yo: 0.55 }, { low: ['wo', 'yo'], high: ['de', 'fr'] }).gap;
 */
export function resourceGap(
  scores: Readonly<Record<string, number>>,
  groups: ResourceGroups,
  options: ResourceGapOptions = {},
): ResourceGap {
  checkOptions(options, gapConstraints, 'resourceGap');
  const { resamples = 1000, alpha = 0.05, seed = 0 } = options ?? {};
  const { low, high } = groupScores(scores, groups, 'resourceGap');
  const rng = createRng(seed);
  const values = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    const [lowIndices, highIndices] = drawGroupIndices(rng, low.length, high.length);
    values[b] = meanAt(high, highIndices) - meanAt(low, lowIndices);
  }
  values.sort();
  const lowMean = meanAt(low, identity(low.length));
  const highMean = meanAt(high, identity(high.length));
  return {
    low: [...groups.low],
    high: [...groups.high],
    lowMean,
    highMean,
    gap: highMean - lowMean,
    lower: quantileSorted(values, alpha / 2),
    upper: quantileSorted(values, 1 - alpha / 2),
    alpha,
    resamples,
  };
}

/** Validates groups against scores and returns each group's scores in group order. */
export function groupScores(
  scores: Readonly<Record<string, number>>,
  groups: ResourceGroups,
  functionName: string,
  scoresArgument = 'scores',
): { low: number[]; high: number[] } {
  scoreEntries(scores, scoresArgument, functionName);
  if (typeof groups !== 'object' || groups === null) {
    throw new InvalidArgumentError(
      'groups',
      functionName,
      'must be an object { low, high } of language lists.',
    );
  }
  const seen = new Set<string>();
  const out: { low: number[]; high: number[] } = { low: [], high: [] };
  for (const key of ['low', 'high'] as const) {
    const list = groups[key];
    if (!Array.isArray(list) || list.length === 0) {
      throw new InvalidArgumentError(
        `groups.${key}`,
        functionName,
        `must be a non-empty array of languages, but got ${JSON.stringify(list)}.`,
      );
    }
    for (const language of list) {
      if (seen.has(language)) {
        throw new InvalidArgumentError(
          `groups.${key}`,
          functionName,
          `must not repeat a language or share it with the other group, but '${language}' appears twice.`,
        );
      }
      seen.add(language);
      if (!Object.hasOwn(scores, language)) {
        throw new InvalidArgumentError(
          `${scoresArgument}.${language}`,
          functionName,
          `is missing: language '${language}' is in groups.${key} but has no score.`,
        );
      }
      out[key].push(scores[language]);
    }
  }
  return out;
}

/** One stratified resample: low indices first, then high, both from `rng`. */
export function drawGroupIndices(rng: Rng, nLow: number, nHigh: number): [Uint32Array, Uint32Array] {
  const lowIndices = new Uint32Array(nLow);
  const highIndices = new Uint32Array(nHigh);
  for (let i = 0; i < nLow; i++) lowIndices[i] = rng.int(nLow);
  for (let i = 0; i < nHigh; i++) highIndices[i] = rng.int(nHigh);
  return [lowIndices, highIndices];
}

/** Mean of `values` at `indices`. */
export function meanAt(values: readonly number[], indices: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < indices.length; i++) s += values[indices[i]];
  return s / indices.length;
}

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
