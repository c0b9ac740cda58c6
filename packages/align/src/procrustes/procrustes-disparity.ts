import type { MatrixLike } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { nuclearNormOfCrossProduct } from './procrustes-core.js';
import { standardize } from './standardize.js';

/**
 * The disparity of {@link procrustes} alone, computed without rotating anything: for
 * standardised A and B, `disparity = 1 - (sum of singular values of A^T B)^2`. With n < d the
 * singular values come from the n x n matrix `R_A R_B^T` of two thin QRs (METHOD.md section 4),
 * so the cost is O(n^2 d) instead of O(d^3). Equal to scipy's disparity to ~1e-15 (the identity
 * is exact; scipy's own value carries the rounding of its d x d SVD).
 *
 * @param x - reference points (shape n x d, n >= 2)
 * @param y - points to compare (shape n x d)
 * @returns the disparity in [0, 1]
 * @throws XLING_SHAPE_MISMATCH, XLING_INVALID_ARGUMENT as {@link procrustes}.
 * @see scipy.spatial.procrustes
 * @example
 * procrustesDisparity([[0, 0], [1, 0], [0, 1]], [[0, 0], [0, 2], [-2, 0]]); // ~0 (rotation + scale)
 */
export function procrustesDisparity(x: MatrixLike, y: MatrixLike): number {
  const [a, b] = matrixPair(x, y, 'procrustesDisparity', { sameColumns: true });
  const mtx1 = standardize(a, 'x', 'procrustesDisparity');
  const mtx2 = standardize(b, 'y', 'procrustesDisparity');
  const s = nuclearNormOfCrossProduct(mtx1, mtx2, a.rows, a.cols);
  return Math.max(0, 1 - s * s);
}
