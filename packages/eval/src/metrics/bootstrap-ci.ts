import { checkOptions, createRng, InvalidArgumentError } from '@xling/core';
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

/** Options of {@link bootstrapCi}. */
export interface BootstrapCiOptions extends SentenceMetricOptions {
  /** What to compute on each resample. @defaultValue 'accuracy' */
  metric?: SentenceMetric;
  /** Number of bootstrap resamples. @defaultValue 1000 */
  resamples?: number;
  /** Miss rate of the interval: 0.05 gives a 95% interval. @defaultValue 0.05 */
  alpha?: number;
  /** Seed of the resampling generator (`createRng`). @defaultValue 0 */
  seed?: number;
}

/** A point estimate with a percentile bootstrap interval. */
export interface ConfidenceInterval {
  /** The metric on the full sample. */
  estimate: number;
  /** Lower bound: the `alpha / 2` quantile of the bootstrap distribution. */
  lower: number;
  /** Upper bound: the `1 - alpha / 2` quantile of the bootstrap distribution. */
  upper: number;
  /** Miss rate of the interval. */
  alpha: number;
  /** Number of resamples. */
  resamples: number;
  /** Standard deviation (ddof 1) of the bootstrap distribution. */
  standardError: number;
  /** Number of resampled units (sentences here). */
  units: number;
}

export const bootstrapConstraints = {
  resamples: { type: 'integer', min: 1, max: 10_000_000, optional: true },
  alpha: { type: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true, optional: true },
  seed: { type: 'integer', optional: true },
  zeroDivision: { type: 'integer', min: 0, max: 1, optional: true },
} as const;

/**
 * Percentile bootstrap confidence interval of a word-level metric, resampling whole sentences
 * with replacement (words of one sentence are not independent). Each resample draws as many
 * sentences as the input has, with `createRng(seed).int(n)`; the interval is the
 * `[alpha/2, 1 - alpha/2]` quantiles (numpy's linear method) of the resampled metric values.
 * Macro-F1 on a resample averages over the labels present in that resample, as scikit-learn
 * would on the concatenated words. Resamples whose metric is undefined (NaN) are dropped.
 *
 * @param sentences - per-sentence gold labels and predictions
 * @throws XLING_INVALID_ARGUMENT on empty input, bad labels or options.
 * @see Efron & Tibshirani (1993), An Introduction to the Bootstrap, ch. 13 (percentile interval);
 *   numpy.quantile (method='linear')
 * @example
 * bootstrapCi([{ gold: ['a', 'b'], predicted: ['a', 'a'] }, { gold: ['a'], predicted: ['a'] }], { seed: 1 });
 */
export function bootstrapCi(
  sentences: readonly SentencePredictions[],
  options: BootstrapCiOptions = {},
): ConfidenceInterval {
  const { metric = 'accuracy', prototypeLabels, labels, ...rest } = options ?? {};
  checkOptions(rest, bootstrapConstraints, 'bootstrapCi');
  const { resamples = 1000, alpha = 0.05, seed = 0 } = rest;
  checkSentences(sentences, 'sentences', 'bootstrapCi');
  const evaluate = prepareSentenceMetric(
    sentences,
    metric,
    { prototypeLabels, labels, ...rest },
    'bootstrapCi',
  );
  const n = sentences.length;
  const estimate = evaluate(allIndices(n));
  const rng = createRng(seed);
  const indices = new Uint32Array(n);
  const values = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) values[b] = evaluate(drawIndices(rng, n, indices));
  return summarize(estimate, values, alpha, n, 'bootstrapCi');
}

/** Sorts the bootstrap values (dropping NaN) and reads off the percentile interval. */
export function summarize(
  estimate: number,
  values: Float64Array,
  alpha: number,
  units: number,
  functionName: string,
): ConfidenceInterval {
  const finite = values.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) {
    throw new InvalidArgumentError(
      'sentences',
      functionName,
      'gives an undefined metric on every resample (no words to score).',
    );
  }
  finite.sort();
  return {
    estimate,
    lower: quantileSorted(finite, alpha / 2),
    upper: quantileSorted(finite, 1 - alpha / 2),
    alpha,
    resamples: values.length,
    standardError: sampleStd(finite),
    units,
  };
}
