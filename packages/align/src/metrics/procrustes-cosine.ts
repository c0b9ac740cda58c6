import type { Matrix } from '@xling/core';
import { nuclearNormFromFactors, procrustesFactor } from '../procrustes/procrustes-core.js';
import { standardize } from '../procrustes/standardize.js';

/**
 * `||Xc^T Yc||_* / (||Xc||_F ||Yc||_F)` for column-centred X and Y (column counts may differ):
 * the cosine of Williams et al.'s angular Procrustes distance and, equally, Tang et al.'s
 * normalised Bures similarity. With `Xc = U S V^T`, `Kx^{1/2} = U S U^T`, so
 * `tr((Kx^{1/2} Ky Kx^{1/2})^{1/2}) = ||Kx^{1/2} Ky^{1/2}||_* = ||Xc^T Yc||_*` and
 * `tr Kx = ||Xc||_F^2`. Each side is scaled to unit Frobenius norm first (scipy's procrustes
 * standardisation), so no product overflows; the result is clamped to 1 against rounding.
 */
export function procrustesCosine(
  x: Matrix<Float64Array>,
  y: Matrix<Float64Array>,
  functionName: string,
): number {
  const a = procrustesFactor(standardize(x, 'x', functionName), x.rows, x.cols);
  const b = procrustesFactor(standardize(y, 'y', functionName), y.rows, y.cols);
  return Math.min(1, nuclearNormFromFactors(a, b));
}
