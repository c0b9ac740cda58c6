import { type MatrixLike, checkOptions, createRng } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { type PairStatistic, checkStatistic, evaluate, pickRows } from './statistic.js';

/** Options of {@link bootstrapCi}. */
export interface BootstrapCiOptions {
  /** Number of bootstrap resamples. @defaultValue 1000 */
  resamples?: number;
  /** Confidence level of the interval. @defaultValue 0.95 */
  confidence?: number;
  /** @defaultValue 0 */
  seed?: number;
}

/** Result of {@link bootstrapCi}. */
export interface BootstrapCiResult {
  statistic: number;
  /** Percentile interval bounds. */
  low: number;
  high: number;
  /** Standard deviation of the bootstrap distribution (ddof 1). */
  standardError: number;
  distribution: Float64Array;
}

/** Linear-interpolated quantile of sorted values (numpy's default 'linear' method). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Percentile bootstrap confidence interval over items: rows are resampled with replacement
 * (the same rows from `x` and `y`, keeping pairs together) and the statistic recomputed.
 *
 * @param x - items in space A (shape n x dx, n >= 2)
 * @param y - the same items in space B (shape n x dy)
 * @param statistic - `(x, y) => number`; it must cope with repeated rows
 * @throws XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT for bad options, fewer than 2 rows,
 * NaN/Infinity, or a statistic that returns a non-finite value.
 * @see Efron & Tibshirani, An Introduction to the Bootstrap (1993), ch. 13;
 * scipy.stats.bootstrap (method='percentile', paired)
 * @example
 * const { low, high } = bootstrapCi(x, y, (a, b) => linearCka(a, b), { seed: 1 });
 */
export function bootstrapCi(
  x: MatrixLike,
  y: MatrixLike,
  statistic: PairStatistic,
  options: BootstrapCiOptions = {},
): BootstrapCiResult {
  const fn = 'bootstrapCi';
  checkOptions(
    options,
    {
      resamples: { type: 'integer', min: 2 },
      confidence: { type: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true },
      seed: { type: 'integer' },
    },
    fn,
  );
  const { resamples = 1000, confidence = 0.95, seed = 0 } = options;
  checkStatistic(statistic, fn);
  const [a, b] = matrixPair(x, y, fn);
  const observed = evaluate(statistic, a, b, fn);
  const rng = createRng(seed);
  const n = a.rows;
  const distribution = new Float64Array(resamples);
  const indices = new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    distribution[r] = evaluate(statistic, pickRows(a, indices), pickRows(b, indices), fn);
  }
  const sorted = Float64Array.from(distribution).sort();
  const alpha = (1 - confidence) / 2;
  let mean = 0;
  for (const v of distribution) mean += v;
  mean /= resamples;
  let ss = 0;
  for (const v of distribution) ss += (v - mean) ** 2;
  return {
    statistic: observed,
    low: quantileSorted(sorted, alpha),
    high: quantileSorted(sorted, 1 - alpha),
    standardError: Math.sqrt(ss / (resamples - 1)),
    distribution,
  };
}
