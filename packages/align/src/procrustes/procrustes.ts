import type { Matrix, MatrixLike } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { applyRotationTranspose, solveProcrustes } from './procrustes-core.js';
import { standardize } from './standardize.js';

/** Result of {@link procrustes}, scipy's `(mtx1, mtx2, disparity)`. */
export interface ProcrustesResult {
  /** `x` centred and scaled to unit Frobenius norm (n x d). */
  mtx1: Matrix<Float64Array>;
  /** `y` standardised the same way, then rotated and scaled onto `mtx1` (n x d). */
  mtx2: Matrix<Float64Array>;
  /** Sum of squared differences between `mtx1` and `mtx2`, in [0, 1]; lower = more alignable. */
  disparity: number;
}

/**
 * Procrustes analysis with `scipy.spatial.procrustes` semantics: centre both matrices' columns,
 * scale each to unit Frobenius norm, rotate (reflections allowed) and uniformly scale `y` onto
 * `x`, and report the disparity `sum((mtx1 - mtx2)^2)`. When 2n < d the exact thin path is used
 * automatically (QR of the stacked data and a 2n x 2n SVD instead of a d x d SVD); the result
 * agrees with scipy's to ~1e-15.
 *
 * Notation: `x` is scipy's `data1`, `y` its `data2`, n rows (points) and d columns (dimensions).
 *
 * @param x - reference points (`Matrix | number[][]`, shape n x d, n >= 2)
 * @param y - points to fit (shape n x d, rows paired with `x`)
 * @returns `{ mtx1, mtx2, disparity }`
 * @throws XLING_SHAPE_MISMATCH when the shapes differ; XLING_INVALID_ARGUMENT for fewer than 2
 * rows, NaN/Infinity, or a matrix whose rows are all the same point.
 * @see scipy.spatial.procrustes
 * @example
 * procrustes([[1, 3], [1, 2], [1, 1], [2, 1]], [[4, -2], [4, -4], [4, -6], [2, -6]]).disparity; // ~0
 */
export function procrustes(x: MatrixLike, y: MatrixLike): ProcrustesResult {
  const [a, b] = matrixPair(x, y, 'procrustes', { sameColumns: true });
  const n = a.rows;
  const d = a.cols;
  const mtx1 = standardize(a, 'x', 'procrustes');
  const mtx2 = standardize(b, 'y', 'procrustes');
  const { rotation, nuclear } = solveProcrustes(mtx1, mtx2, n, d, 'allow');
  const fitted = applyRotationTranspose(mtx2, n, rotation);
  let disparity = 0;
  for (let k = 0; k < fitted.length; k++) {
    fitted[k] *= nuclear;
    const diff = mtx1[k] - fitted[k];
    disparity += diff * diff;
  }
  return { mtx1: { rows: n, cols: d, data: mtx1 }, mtx2: { rows: n, cols: d, data: fitted }, disparity };
}
