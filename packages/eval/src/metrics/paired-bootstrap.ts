import { checkOptions, createRng, InvalidArgumentError, ShapeMismatchError } from '@xling/core';
import { bootstrapConstraints } from './bootstrap-ci.js';
import { checkSentences, type SentencePredictions } from './labels.js';
import { quantileSorted } from './quantile.js';
import {
  allIndices,
  drawIndices,
  prepareSentenceMetric,
  type SentenceMetric,
  type SentenceMetricOptions,
  sampleStd,
} from './sentence-statistic.js';

/** Options of {@link pairedBootstrap}. */
export interface PairedBootstrapOptions extends SentenceMetricOptions {
  /** What to compare. @defaultValue 'accuracy' */
  metric?: SentenceMetric;
  /** Number of bootstrap resamples. @defaultValue 1000 */
  resamples?: number;
  /** Miss rate of the interval on the difference. @defaultValue 0.05 */
  alpha?: number;
  /** Seed of the resampling generator. @defaultValue 0 */
  seed?: number;
}

/** Result of {@link pairedBootstrap}: system A minus system B. */
export interface PairedBootstrapResult {
  /** Metric of A on the full sample. */
  estimateA: number;
  /** Metric of B on the full sample. */
  estimateB: number;
  /** `estimateA - estimateB`. */
  difference: number;
  /** Lower percentile bound of the difference. */
  lower: number;
  /** Upper percentile bound of the difference. */
  upper: number;
  /**
   * Two-sided bootstrap p-value for "no difference":
   * `min(1, 2 * min(share of resamples with diff <= 0, share with diff >= 0))`.
   */
  pValue: number;
  /** Standard deviation (ddof 1) of the resampled differences. */
  standardError: number;
  alpha: number;
  resamples: number;
  /** Number of sentences. */
  units: number;
}

/**
 * Paired bootstrap comparison of two systems on the same sentences: each resample draws sentence
 * indices once and scores both systems on the same multiset, so the interval of A - B reflects
 * only the systems' difference, not test-set luck shared by both (Koehn 2004).
 *
 * @param a - system A's predictions, sentence by sentence
 * @param b - system B's predictions on the same sentences with the same gold labels
 * @throws XLING_SHAPE_MISMATCH when the sentence lists or their gold labels differ.
 * @see Koehn (2004), Statistical significance tests for machine translation evaluation, EMNLP
 * @example
 * pairedBootstrap(mappedSentences, unmappedSentences, { seed: 7 }).difference;
 */
export function pairedBootstrap(
  a: readonly SentencePredictions[],
  b: readonly SentencePredictions[],
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const { metric = 'accuracy', prototypeLabels, labels, ...rest } = options ?? {};
  checkOptions(rest, bootstrapConstraints, 'pairedBootstrap');
  const { resamples = 1000, alpha = 0.05, seed = 0 } = rest;
  checkSentences(a, 'a', 'pairedBootstrap');
  checkSentences(b, 'b', 'pairedBootstrap');
  if (a.length !== b.length) {
    throw new ShapeMismatchError('b', 'pairedBootstrap', `${a.length} sentences like 'a'`, String(b.length));
  }
  for (let s = 0; s < a.length; s++) {
    const ga = a[s].gold;
    const gb = b[s].gold;
    if (ga.length !== gb.length || ga.some((g, i) => g !== gb[i])) {
      throw new InvalidArgumentError(
        `b[${s}].gold`,
        'pairedBootstrap',
        `must equal 'a[${s}].gold' (both systems must be scored on the same sentences).`,
      );
    }
  }
  const metricOptions = { prototypeLabels, labels, ...rest };
  const evaluateA = prepareSentenceMetric(a, metric, metricOptions, 'pairedBootstrap');
  const evaluateB = prepareSentenceMetric(b, metric, metricOptions, 'pairedBootstrap');
  const n = a.length;
  const all = allIndices(n);
  const estimateA = evaluateA(all);
  const estimateB = evaluateB(all);
  const rng = createRng(seed);
  const indices = new Uint32Array(n);
  const diffs: number[] = [];
  let atMostZero = 0;
  let atLeastZero = 0;
  for (let r = 0; r < resamples; r++) {
    drawIndices(rng, n, indices);
    const d = evaluateA(indices) - evaluateB(indices);
    if (Number.isNaN(d)) continue;
    diffs.push(d);
    if (d <= 0) atMostZero++;
    if (d >= 0) atLeastZero++;
  }
  if (diffs.length === 0) {
    throw new InvalidArgumentError('a', 'pairedBootstrap', 'gives an undefined metric on every resample.');
  }
  const sorted = Float64Array.from(diffs).sort();
  const m = sorted.length;
  return {
    estimateA,
    estimateB,
    difference: estimateA - estimateB,
    lower: quantileSorted(sorted, alpha / 2),
    upper: quantileSorted(sorted, 1 - alpha / 2),
    pValue: Math.min(1, (2 * Math.min(atMostZero, atLeastZero)) / m),
    standardError: sampleStd(sorted),
    alpha,
    resamples,
    units: n,
  };
}
