import type { MatrixLike } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { procrustesCosine } from './procrustes-cosine.js';

/**
 * Angular Procrustes distance (Williams et al. 2021):
 * `arccos(||Xc^T Yc||_* / (||Xc||_F ||Yc||_F))` for column-centred X and Y, the angle between
 * the two spaces after the best rotation (reflections allowed), translation and scaling. In
 * [0, π/2], lower = more similar; 0 for identical spaces or copies that differ by rotation,
 * isotropic scaling and translation. The column counts may differ. A metric on shapes, and
 * `cos` of it is {@link normalizedBures}.
 *
 * @param x - items in space A (shape n x dx, n >= 2)
 * @param y - the same items in space B (shape n x dy)
 * @returns the angle in radians, in [0, π/2]
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 2
 * rows, NaN/Infinity or a matrix whose rows are all the same point.
 * @see Williams, Kunz, Kornblith & Linderman, "Generalized Shape Metrics on Neural
 * Representations", NeurIPS 2021 (netrep's `LinearMetric(alpha=1)`); Klabunde et al. (2023)
 * @example
 * angularProcrustes([[0, 0], [1, 0], [0, 2]], [[0, 0], [0, 3], [-6, 0]]); // 0
 */
export function angularProcrustes(x: MatrixLike, y: MatrixLike): number {
  const [a, b] = matrixPair(x, y, 'angularProcrustes');
  return Math.acos(procrustesCosine(a, b, 'angularProcrustes'));
}
