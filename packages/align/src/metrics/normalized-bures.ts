import type { MatrixLike } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { procrustesCosine } from './procrustes-cosine.js';

/**
 * Normalised Bures similarity (Tang et al. 2020): with the centred linear Gram matrices
 * `Kx = Xc Xc^T` and `Ky = Yc Yc^T`,
 * `tr((Kx^{1/2} Ky Kx^{1/2})^{1/2}) / sqrt(tr Kx · tr Ky)`, computed through the equal
 * `||Xc^T Yc||_* / (||Xc||_F ||Yc||_F)` (no matrix square roots). In [0, 1], higher = more
 * similar; 1 for identical spaces or copies that differ by rotation, isotropic scaling and
 * translation. The column counts may differ. Equals `cos` of {@link angularProcrustes}.
 *
 * @param x - items in space A (shape n x dx, n >= 2)
 * @param y - the same items in space B (shape n x dy)
 * @returns the similarity in [0, 1]
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 2
 * rows, NaN/Infinity or a matrix whose rows are all the same point.
 * @see Tang, Maddox, Dickens, Diethe & Damianou, "Similarity of Neural Networks with Gradients",
 * arXiv:2003.11498 (2020); Klabunde et al. (2023)
 * @example
 * normalizedBures([[0, 0], [1, 0], [0, 2]], [[0, 0], [0, 3], [-6, 0]]); // 1
 */
export function normalizedBures(x: MatrixLike, y: MatrixLike): number {
  const [a, b] = matrixPair(x, y, 'normalizedBures');
  return procrustesCosine(a, b, 'normalizedBures');
}
