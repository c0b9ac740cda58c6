import { InvalidArgumentError, type Matrix, type MatrixLike } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { centerGram, frobeniusInner } from './kernel-core.js';
import { condensedIndex } from './nearest-neighbours.js';
import { condensedDistances } from './rdm.js';

/** The n x n Euclidean distance matrix of the rows, double-centred (row, column and grand means). */
function doubleCentredDistances(m: Matrix<Float64Array>, argument: string): Float64Array {
  const n = m.rows;
  const condensed = condensedDistances(m.data, n, m.cols, 'euclidean', argument, 'distanceCorrelation');
  const full = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) full[i * n + j] = condensed[condensedIndex(n, i, j)];
  return centerGram(full, n, false);
}

/**
 * Distance correlation (Székely, Rizzo & Bakirov 2007), the V-statistic version: with A and B the
 * double-centred Euclidean distance matrices of the rows of `x` and `y`,
 * `dCor = sqrt(<A, B> / sqrt(<A, A> <B, B>))` (the 1/n^2 of the distance covariances cancels).
 * In [0, 1], higher = more similar; 0 only for independent samples in the limit, 1 for copies
 * that differ by rotation, isotropic scaling and translation. Sees non-linear dependence.
 *
 * @param x - items in space A (shape n x dx, n >= 2)
 * @param y - the same items in space B (shape n x dy)
 * @returns the distance correlation in [0, 1]
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 2
 * rows, NaN/Infinity or a matrix whose rows are all the same point (zero distance variance).
 * @see Székely, Rizzo & Bakirov, "Measuring and testing dependence by correlation of distances",
 * Ann. Statist. 35 (2007), the empirical dCor (R's `energy::dcor`); Klabunde et al. (2023)
 * @example
 * distanceCorrelation([[0], [1], [3]], [[5, 5], [5, 7], [5, 11]]); // 1
 */
export function distanceCorrelation(x: MatrixLike, y: MatrixLike): number {
  const [a, b] = matrixPair(x, y, 'distanceCorrelation');
  const da = doubleCentredDistances(a, 'x');
  const db = doubleCentredDistances(b, 'y');
  const xx = frobeniusInner(da, da);
  const yy = frobeniusInner(db, db);
  if (xx === 0 || yy === 0) {
    throw new InvalidArgumentError(
      xx === 0 ? 'x' : 'y',
      'distanceCorrelation',
      'must contain more than one distinct row, but all rows are the same point.',
    );
  }
  // The distance covariance is >= 0 in exact arithmetic; clamp rounding below it.
  return Math.sqrt(Math.max(0, frobeniusInner(da, db) / (Math.sqrt(xx) * Math.sqrt(yy))));
}
