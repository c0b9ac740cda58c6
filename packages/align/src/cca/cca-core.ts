import { InvalidArgumentError, type Matrix } from '@xling/core';
import { centerColumns } from '../linalg/center.js';
import { cholesky, solveLowerInPlace, solveLowerTransposeInPlace } from '../linalg/cholesky.js';
import { crossProduct, gramProduct } from '../linalg/products.js';
import { flipSignsInPlace } from '../linalg/sign-convention.js';
import { checkNoConstantColumn } from '../linalg/validate.js';
import { singularValues, thinSvd, transposeData } from '../linalg/thin-svd.js';
import { type Compute, wantsSharedBuffers } from '../linalg/threads.js';

export interface CcaCore {
  correlations: Float64Array;
  /** dx x k, row-major (present when weights were asked for). */
  xWeights?: Float64Array;
  yWeights?: Float64Array;
  xCentered: Float64Array;
  yCentered: Float64Array;
  xMean: Float64Array;
  yMean: Float64Array;
  k: number;
}

function regularizedCovarianceFactor(
  centered: Float64Array,
  n: number,
  d: number,
  ridge: number,
  argument: string,
  functionName: string,
  compute: Compute,
): Float64Array {
  const c = gramProduct(centered, n, d, compute);
  for (let k = 0; k < c.length; k++) c[k] /= n - 1;
  for (let j = 0; j < d; j++) c[j * d + j] += ridge;
  const l = cholesky(c, d, compute);
  if (l === null) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      `has a singular covariance (${n} rows, ${d} columns: collinear columns or fewer rows than columns); pass options.ridge > 0.`,
    );
  }
  return l;
}

/**
 * Canonical correlation analysis through the regularised covariances:
 * `M = L_x^{-1} C_xy L_y^{-T}` with `L L^T = C + ridge I` (Cholesky, never an explicit inverse),
 * correlations = singular values of M, weights `L^{-T} U` and `L^{-T} V` (unit-variance
 * canonical variates). Covariances use the n - 1 divisor. The three n-row products run where
 * `compute` says (an engine, or `threads` threads).
 */
export function ccaCore(
  x: Matrix<Float64Array>,
  y: Matrix<Float64Array>,
  ridgeX: number,
  ridgeY: number,
  withWeights: boolean,
  functionName: string,
  compute: Compute,
): CcaCore {
  const n = x.rows;
  const dx = x.cols;
  const dy = y.cols;
  const cx = centerColumns(x, wantsSharedBuffers(compute));
  const cy = centerColumns(y, wantsSharedBuffers(compute));
  if (ridgeX === 0) checkNoConstantColumn(cx.centered, n, dx, 'x', functionName);
  if (ridgeY === 0) checkNoConstantColumn(cy.centered, n, dy, 'y', functionName);
  const lx = regularizedCovarianceFactor(cx.centered, n, dx, ridgeX, 'x', functionName, compute);
  const ly = regularizedCovarianceFactor(cy.centered, n, dy, ridgeY, 'y', functionName, compute);
  const cxy = crossProduct(cx.centered, cy.centered, n, dx, dy, compute);
  for (let k = 0; k < cxy.length; k++) cxy[k] /= n - 1;
  solveLowerInPlace(lx, dx, cxy, dy, compute);
  const t = transposeData(cxy, dx, dy);
  solveLowerInPlace(ly, dy, t, dx, compute);
  const m = transposeData(t, dy, dx);
  const k = Math.min(dx, dy);
  const base = { xCentered: cx.centered, yCentered: cy.centered, xMean: cx.means, yMean: cy.means, k };
  if (!withWeights) {
    const s = singularValues(m, dx, dy).subarray(0, k);
    return { ...base, correlations: Float64Array.from(s, (v) => Math.min(1, v)) };
  }
  const svd = thinSvd(m, dx, dy);
  flipSignsInPlace(svd.u, dx, svd.k, svd.v, dy);
  solveLowerTransposeInPlace(lx, dx, svd.u, svd.k, compute);
  solveLowerTransposeInPlace(ly, dy, svd.v, svd.k, compute);
  return {
    ...base,
    correlations: Float64Array.from(svd.s, (v) => Math.min(1, v)),
    xWeights: svd.u,
    yWeights: svd.v,
  };
}
