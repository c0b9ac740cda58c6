import { type MatrixLike, checkOptions, createRng } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import type { RsaOptions } from '../metrics/rsa.js';
import { type ShuffleStatistic, prepareStatistic } from './permuted-statistic.js';
import { permutation } from './statistic.js';

/** Options of {@link randomLabelControl}. */
export interface RandomLabelControlOptions {
  /** Number of random relabellings. @defaultValue 100 */
  repeats?: number;
  /** @defaultValue 0 */
  seed?: number;
  /** RDM distance and correlation when `statistic` is `'rsa'`. @defaultValue euclidean, spearman */
  rsa?: RsaOptions;
}

/** Result of {@link randomLabelControl}. */
export interface RandomLabelControlResult {
  /** The statistic with the true labels. */
  observed: number;
  /** Mean and standard deviation (ddof 1) of the statistic under random labels: the floor. */
  controlMean: number;
  controlStd: number;
  /** `(observed - controlMean) / controlStd` (NaN when controlStd is 0). */
  zScore: number;
  values: Float64Array;
}

/**
 * Random-label control (METHOD.md section 4): the same statistic with the labels of `y`'s rows
 * randomly reassigned, many times, giving the floor a raw score must be read against (e.g. the
 * mean Procrustes disparity of unrelated sets with n < d is far below 1). Differs from
 * {@link permutationTest} in what it reports: the control's level and spread, and the observed
 * value as a z-score against it.
 *
 * @param x - prototypes of language A (shape n x dx, n >= 2), one row per label
 * @param y - prototypes of language B for the same labels in the same order
 * @param statistic - `(x, y) => number`, or `'procrustes'` / `'rsa'` (fast paths, see
 * {@link permutationTest})
 * @throws XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT for bad options or input.
 * @see Hewitt & Liang, "Designing and interpreting probes with control tasks", EMNLP 2019
 * @example
 * randomLabelControl(en, de, (a, b) => procrustesDisparity(a, b), { repeats: 200 }).controlMean;
 */
export function randomLabelControl(
  x: MatrixLike,
  y: MatrixLike,
  statistic: ShuffleStatistic,
  options: RandomLabelControlOptions = {},
): RandomLabelControlResult {
  const fn = 'randomLabelControl';
  const { rsa: rsaOptions, ...rest } = options;
  checkOptions(rest, { repeats: { type: 'integer', min: 2 }, seed: { type: 'integer' } }, fn);
  const { repeats = 100, seed = 0 } = rest;
  const [a, b] = matrixPair(x, y, fn);
  const prepared = prepareStatistic(statistic, a, b, rsaOptions, fn);
  const observed = prepared.observed;
  const rng = createRng(seed);
  const values = new Float64Array(repeats);
  for (let r = 0; r < repeats; r++) values[r] = prepared.permuted(permutation(b.rows, (k) => rng.int(k)));
  let mean = 0;
  for (const v of values) mean += v;
  mean /= repeats;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const std = Math.sqrt(ss / (repeats - 1));
  return {
    observed,
    controlMean: mean,
    controlStd: std,
    zScore: std > 0 ? (observed - mean) / std : Number.NaN,
    values,
  };
}
