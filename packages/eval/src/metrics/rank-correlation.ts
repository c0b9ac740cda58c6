import { spearman } from '@xling/align';
import { createRng } from '@xling/core';
import type { RankCorrelation } from '../report/experiment-result.js';
import { quantileSorted, sortedCopy } from './quantile.js';
import { drawIndices } from './sentence-statistic.js';

/** Spearman's rho, or null where it is undefined (a constant side). */
function rhoOrNull(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const varies = (v: ArrayLike<number>) => Array.prototype.some.call(v, (a: number) => a !== v[0]);
  return varies(x) && varies(y) ? spearman(x, y) : null;
}

/**
 * Spearman's rank correlation of paired per-language values with a percentile bootstrap interval
 * over languages: each resample draws `n` languages with replacement (`createRng(seed)`); resamples
 * where a side is constant (rho undefined) are dropped. Null with fewer than 3 languages or when a
 * side is constant on the full sample.
 *
 * @see Efron & Tibshirani (1993), ch. 13 (percentile interval)
 * @example
 * rankCorrelation([0.2, 0.5, 0.9], [0.1, 0.3, 0.8], { resamples: 1000, alpha: 0.05, seed: 0 })!.rho; // 1
 */
export function rankCorrelation(
  x: readonly number[],
  y: readonly number[],
  options: { resamples: number; alpha: number; seed: number },
): RankCorrelation | null {
  const n = x.length;
  const rho = n >= 3 ? rhoOrNull(x, y) : null;
  if (rho === null) return null;
  const rng = createRng(options.seed);
  const indices = new Uint32Array(n);
  const values: number[] = [];
  for (let r = 0; r < options.resamples; r++) {
    drawIndices(rng, n, indices);
    const value = rhoOrNull(
      Array.from(indices, (i) => x[i]),
      Array.from(indices, (i) => y[i]),
    );
    if (value !== null) values.push(value);
  }
  const sorted = sortedCopy(values);
  const bound = (q: number) => (sorted.length > 0 ? quantileSorted(sorted, q) : rho);
  return {
    rho,
    lower: bound(options.alpha / 2),
    upper: bound(1 - options.alpha / 2),
    alpha: options.alpha,
    resamples: options.resamples,
  };
}
