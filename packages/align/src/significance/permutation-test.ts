import { type MatrixLike, checkOptions, createRng } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import type { RsaOptions } from '../metrics/rsa.js';
import { type ShuffleStatistic, prepareStatistic } from './permuted-statistic.js';
import { permutation } from './statistic.js';

/** Options of {@link permutationTest}. */
export interface PermutationTestOptions {
  /** Number of random permutations. @defaultValue 1000 */
  permutations?: number;
  /**
   * `'greater'`: large statistics are extreme (RSA, CKA); `'less'`: small ones are (disparity);
   * `'two-sided'`: twice the smaller one-sided p-value, capped at 1 (scipy's convention).
   * @defaultValue 'less' for `'procrustes'`, else 'greater'
   */
  alternative?: 'greater' | 'less' | 'two-sided';
  /** @defaultValue 0 */
  seed?: number;
  /** RDM distance and correlation when `statistic` is `'rsa'`. @defaultValue euclidean, spearman */
  rsa?: RsaOptions;
}

/** Result of {@link permutationTest}. */
export interface PermutationTestResult {
  statistic: number;
  /** `(1 + #{null at least as extreme}) / (1 + permutations)`: never 0, valid at any count. */
  pValue: number;
  /** The statistic under each permutation. */
  nullDistribution: Float64Array;
}

/**
 * Permutation test of the pairing between the rows of `x` and `y`: the rows of `y` are shuffled
 * (breaking the item correspondence, keeping each space's geometry) and the statistic recomputed.
 * The p-value includes the +1 correction of Phipson & Smyth (2010).
 *
 * @param x - items in space A (shape n x dx, n >= 2)
 * @param y - the same items in space B (shape n x dy)
 * @param statistic - `(x, y) => number`, e.g. `(a, b) => linearCka(a, b)`, or a built-in with a
 * fast path: `'procrustes'` (scipy's disparity; each permutation costs one n x n SVD, whatever d
 * is) or `'rsa'` (RDMs computed once, O(n^2) per permutation; see `options.rsa`)
 * @throws XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT for bad options, fewer than 2 rows,
 * NaN/Infinity, or a statistic that returns a non-finite value.
 * @see Phipson & Smyth, "Permutation p-values should never be zero", SAGMB 9 (2010);
 * scipy.stats.permutation_test (permutation_type='pairings')
 * @example
 * permutationTest(x, y, (a, b) => rsa(a, b), { permutations: 999, seed: 1 }).pValue;
 */
export function permutationTest(
  x: MatrixLike,
  y: MatrixLike,
  statistic: ShuffleStatistic,
  options: PermutationTestOptions = {},
): PermutationTestResult {
  const fn = 'permutationTest';
  const { rsa: rsaOptions, ...rest } = options;
  checkOptions(
    rest,
    {
      permutations: { type: 'integer', min: 1 },
      alternative: { type: 'enum', values: ['greater', 'less', 'two-sided'] },
      seed: { type: 'integer' },
    },
    fn,
  );
  const {
    permutations = 1000,
    alternative = statistic === 'procrustes' ? 'less' : 'greater',
    seed = 0,
  } = rest;
  const [a, b] = matrixPair(x, y, fn);
  const prepared = prepareStatistic(statistic, a, b, rsaOptions, fn);
  const observed = prepared.observed;
  const rng = createRng(seed);
  const nullDistribution = new Float64Array(permutations);
  // Ties with the observed value count as extreme; a relative slack absorbs rounding noise of
  // statistics that are permutation-invariant up to the last bit (scipy uses the same idea).
  const slack = 1e-12 * Math.max(1, Math.abs(observed));
  let greater = 0;
  let less = 0;
  for (let p = 0; p < permutations; p++) {
    const v = prepared.permuted(permutation(b.rows, (k) => rng.int(k)));
    nullDistribution[p] = v;
    if (v >= observed - slack) greater++;
    if (v <= observed + slack) less++;
  }
  const pGreater = (1 + greater) / (1 + permutations);
  const pLess = (1 + less) / (1 + permutations);
  const pValue =
    alternative === 'greater'
      ? pGreater
      : alternative === 'less'
        ? pLess
        : Math.min(1, 2 * Math.min(pGreater, pLess));
  return { statistic: observed, pValue, nullDistribution };
}
