import { checkOptions, createRng, InvalidArgumentError } from '@xling/core';
import { type AccuracySpread, accuracySpread } from './accuracy-spread.js';
import { quantileSorted } from './quantile.js';
import {
  drawGroupIndices,
  gapConstraints,
  groupScores,
  meanAt,
  type ResourceGap,
  type ResourceGroups,
  resourceGap,
} from './resource-gap.js';

/** Options of {@link gapStatistics}. */
export interface GapStatisticsOptions {
  /** Low/high-resource grouping; without it only the spread is computed. */
  groups?: ResourceGroups;
  /**
   * A method to compare every other method against (e.g. the unaligned baseline): adds
   * `gapChange`, the paired bootstrap difference of gaps (method minus baseline).
   */
  baseline?: string;
  /** Delta degrees of freedom of the spread's standard deviation. @defaultValue 0 */
  ddof?: 0 | 1;
  /** Number of bootstrap resamples. @defaultValue 1000 */
  resamples?: number;
  /** Miss rate of the intervals. @defaultValue 0.05 */
  alpha?: number;
  /** Seed; every method's gap uses the same resamples of languages. @defaultValue 0 */
  seed?: number;
}

/** How a method's gap compares with the baseline's (paired over languages). */
export interface GapChange {
  /** The baseline method. */
  baseline: string;
  /** `gap(method) - gap(baseline)`: negative when the method narrows the gap. */
  difference: number;
  lower: number;
  upper: number;
  /** Two-sided bootstrap p-value for "no change", as in {@link pairedBootstrap}. */
  pValue: number;
}

/** Gap statistics of one method. */
export interface MethodGapStatistics {
  method: string;
  /** Spread of the method's scores across all its languages. */
  spread: AccuracySpread;
  /** Low- vs high-resource gap (when groups were given). */
  gap?: ResourceGap;
  /** Change of the gap against the baseline (when a baseline was given; absent for the baseline). */
  gapChange?: GapChange;
}

/**
 * Gap statistics for several methods at once, the numbers behind "explicit alignment narrows the
 * gap between languages": per method the spread across languages (std, range, IQR), the low- vs
 * high-resource gap with a bootstrap interval, and — against a baseline — the change of the gap
 * with a paired interval (the same resampled languages for both methods). Read it as: alignment
 * narrows the gap when `gapChange.upper < 0`, widens it when `gapChange.lower > 0`, and the data
 * cannot tell otherwise.
 *
 * @param scores - `scores[method][language]`, e.g. zero-shot accuracies per method
 * @returns one entry per method, in input order
 * @throws XLING_INVALID_ARGUMENT when a grouped language lacks a score for some method or the baseline is unknown.
 * @see {@link accuracySpread}, {@link resourceGap}
 * @example
 * gapStatistics({ unaligned: { de: 0.8, wo: 0.4 }, procrustes: { de: 0.85, wo: 0.6 } },
 *   { groups: { low: ['wo'], high: ['de'] }, baseline: 'unaligned' });
 */
export function gapStatistics(
  scores: Readonly<Record<string, Readonly<Record<string, number>>>>,
  options: GapStatisticsOptions = {},
): MethodGapStatistics[] {
  const { groups, baseline, ddof, ...rest } = options ?? {};
  checkOptions(rest, gapConstraints, 'gapStatistics');
  checkOptions({ ddof }, { ddof: { type: 'integer', min: 0, max: 1, optional: true } }, 'gapStatistics');
  if (typeof scores !== 'object' || scores === null || Object.keys(scores).length === 0) {
    throw new InvalidArgumentError(
      'scores',
      'gapStatistics',
      'must be a non-empty object of per-method, per-language scores.',
    );
  }
  if (baseline !== undefined && !Object.hasOwn(scores, baseline)) {
    throw new InvalidArgumentError(
      'options.baseline',
      'gapStatistics',
      `must name a method in 'scores' (${Object.keys(scores).join(', ')}), but got '${baseline}'.`,
    );
  }
  const { resamples = 1000, alpha = 0.05, seed = 0 } = rest;
  const out: MethodGapStatistics[] = [];
  for (const [method, perLanguage] of Object.entries(scores)) {
    const entry: MethodGapStatistics = {
      method,
      spread: accuracySpread(perLanguage, { ddof: ddof ?? 0 }),
    };
    if (groups !== undefined) {
      entry.gap = resourceGap(perLanguage, groups, { resamples, alpha, seed });
      if (baseline !== undefined && method !== baseline) {
        entry.gapChange = gapChange(perLanguage, scores[baseline], groups, baseline, {
          resamples,
          alpha,
          seed,
          method,
        });
      }
    }
    out.push(entry);
  }
  return out;
}

function gapChange(
  method: Readonly<Record<string, number>>,
  base: Readonly<Record<string, number>>,
  groups: ResourceGroups,
  baseline: string,
  options: { resamples: number; alpha: number; seed: number; method: string },
): GapChange {
  const m = groupScores(method, groups, 'gapStatistics', `scores.${options.method}`);
  const b = groupScores(base, groups, 'gapStatistics', `scores.${baseline}`);
  const diffOf = (lowIndices: ArrayLike<number>, highIndices: ArrayLike<number>) =>
    meanAt(m.high, highIndices) -
    meanAt(m.low, lowIndices) -
    (meanAt(b.high, highIndices) - meanAt(b.low, lowIndices));
  const rng = createRng(options.seed);
  const values = new Float64Array(options.resamples);
  let atMostZero = 0;
  let atLeastZero = 0;
  for (let r = 0; r < options.resamples; r++) {
    const [lowIndices, highIndices] = drawGroupIndices(rng, m.low.length, m.high.length);
    const d = diffOf(lowIndices, highIndices);
    values[r] = d;
    if (d <= 0) atMostZero++;
    if (d >= 0) atLeastZero++;
  }
  values.sort();
  const lowAll = Array.from(m.low, (_, i) => i);
  const highAll = Array.from(m.high, (_, i) => i);
  return {
    baseline,
    difference: diffOf(lowAll, highAll),
    lower: quantileSorted(values, options.alpha / 2),
    upper: quantileSorted(values, 1 - options.alpha / 2),
    pValue: Math.min(1, (2 * Math.min(atMostZero, atLeastZero)) / options.resamples),
  };
}
