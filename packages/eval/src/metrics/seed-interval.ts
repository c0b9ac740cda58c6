import { checkOptions } from '@xling/core';
import { scoreEntries } from './accuracy-spread.js';
import { studentTQuantile } from './student-t.js';

/** Options of {@link seedInterval}. */
export interface SeedIntervalOptions {
  /** Miss rate of the interval. @defaultValue 0.05 */
  alpha?: number;
  /**
   * Clamp the bounds to [0, 1] (accuracies cannot leave it; a t interval around a mean near 1 can).
   * @defaultValue true
   */
  clamp?: boolean;
}

/** Mean and interval of a score over seeds (a few-shot curve point). */
export interface SeedInterval {
  /** Mean over seeds. */
  mean: number;
  /** Lower bound of the t interval. */
  lower: number;
  /** Upper bound of the t interval. */
  upper: number;
  /** Sample standard deviation (ddof 1); 0 for one seed. */
  std: number;
  /** Number of seeds. */
  seeds: number;
  /** The per-seed values, copied. */
  values: number[];
}

/**
 * Mean and Student-t confidence interval of a score over random seeds:
 * `mean ± t(1 - alpha/2, n - 1) · s / sqrt(n)` with `s` the sample standard deviation — the
 * interval for a few-shot curve point (N support sentences, several seeds). With one seed the
 * interval is the point itself. The result has the shape of a `FewShotPoint` minus `n`.
 *
 * @param values - the score of each seed
 * @throws XLING_INVALID_ARGUMENT on an empty array or a non-finite value (naming the index).
 * @see scipy.stats.t.interval(1 - alpha, n - 1, loc=mean, scale=sem); the t quantile is computed to
 *   ~1e-15 (bisection on the regularised incomplete beta), closer than scipy 1.10's `t.ppf` (~1e-9)
 * @example
 * seedInterval([0.61, 0.64, 0.58, 0.66, 0.6]); // { mean: 0.618…, lower: 0.5783…, upper: 0.6577…, … }
 */
export function seedInterval(values: readonly number[], options: SeedIntervalOptions = {}): SeedInterval {
  checkOptions(
    options,
    {
      alpha: { type: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true, optional: true },
      clamp: { type: 'boolean', optional: true },
    },
    'seedInterval',
  );
  const { alpha = 0.05, clamp = true } = options ?? {};
  const { values: v } = scoreEntries(values as number[], 'values', 'seedInterval');
  const n = v.length;
  let sum = 0;
  for (const x of v) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const half = n > 1 && std > 0 ? studentTQuantile(1 - alpha / 2, n - 1) * (std / Math.sqrt(n)) : 0;
  let lower = mean - half;
  let upper = mean + half;
  if (clamp) {
    lower = Math.min(1, Math.max(0, lower));
    upper = Math.min(1, Math.max(0, upper));
  }
  return { mean, lower, upper, std, seeds: n, values: [...v] };
}
