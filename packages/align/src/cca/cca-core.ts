import { InvalidArgumentError, type Matrix } from '@xling/core';
import { centerColumns } from '../linalg/center.js';
import { centeredProducts } from '../linalg/centered-products.js';
import { cholesky, solveLowerInPlace, solveLowerTransposeInPlace } from '../linalg/cholesky.js';
import { crossProduct, gramProduct } from '../linalg/products.js';
import { flipSignsInPlace } from '../linalg/sign-convention.js';
import { singularValues, thinSvd, transposeData } from '../linalg/thin-svd.js';
import { type Compute, wantsSharedBuffers } from '../linalg/threads.js';

export interface CcaCore {
  correlations: Float64Array;
  /** dx x k, row-major (present when weights were asked for). */
  xWeights?: Float64Array;
  yWeights?: Float64Array;
  /** The centred inputs (present when `keepCentered` was asked for). */
  xCentered?: Float64Array;
  yCentered?: Float64Array;
  xMean: Float64Array;
  yMean: Float64Array;
  k: number;
}

/** Cholesky factor of `gram / (n - 1) + ridge I`; zero-variance columns are reported first when ridge is 0. */
function regularizedCovarianceFactor(
  gram: Float64Array,
  n: number,
  d: number,
  ridge: number,
  argument: string,
  functionName: string,
  compute: Compute,
): Float64Array {
  // A centred column has zero variance exactly when its squared norm (the Gram diagonal) is 0.
  for (let j = 0; j < d && ridge === 0; j++) {
    if (!(gram[j * d + j] > 0)) {
      throw new InvalidArgumentError(argument, functionName, `has zero variance in column ${j}.`);
    }
  }
  const c = gram;
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
 * `Xc^T Xc`, `Yc^T Yc`, `Xc^T Yc` and the means: with an engine (and no need for the centred
 * copies) chunk by chunk (centered-products.ts), else from centred copies.
 */
function centeredGrams(
  x: Matrix<Float64Array>,
  y: Matrix<Float64Array>,
  compute: Compute,
  keepCentered: boolean,
) {
  const n = x.rows;
  if (compute.engine !== undefined && !keepCentered) {
    const p = centeredProducts(x, y, { xx: true, yy: true, xy: true }, compute);
    return { xx: p.xx!, yy: p.yy!, xy: p.xy!, xMean: p.xMean, yMean: p.yMean };
  }
  const cx = centerColumns(x, wantsSharedBuffers(compute));
  const cy = centerColumns(y, wantsSharedBuffers(compute));
  return {
    xx: gramProduct(cx.centered, n, x.cols, compute),
    yy: gramProduct(cy.centered, n, y.cols, compute),
    xy: crossProduct(cx.centered, cy.centered, n, x.cols, y.cols, compute),
    xMean: cx.means,
    yMean: cy.means,
    ...(keepCentered ? { xCentered: cx.centered, yCentered: cy.centered } : {}),
  };
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
  keepCentered = false,
): CcaCore {
  const n = x.rows;
  const dx = x.cols;
  const dy = y.cols;
  const { xx, yy, xy: cxy, ...rest } = centeredGrams(x, y, compute, keepCentered);
  const lx = regularizedCovarianceFactor(xx, n, dx, ridgeX, 'x', functionName, compute);
  const ly = regularizedCovarianceFactor(yy, n, dy, ridgeY, 'y', functionName, compute);
  for (let k = 0; k < cxy.length; k++) cxy[k] /= n - 1;
  solveLowerInPlace(lx, dx, cxy, dy, compute);
  const t = transposeData(cxy, dx, dy);
  solveLowerInPlace(ly, dy, t, dx, compute);
  const k = Math.min(dx, dy);
  const base = { ...rest, k };
  if (!withWeights) {
    // t is M^T (dy x dx), with the same singular values as M.
    const s = singularValues(t, dy, dx, compute).subarray(0, k);
    return { ...base, correlations: Float64Array.from(s, (v) => Math.min(1, v)) };
  }
  const m = transposeData(t, dy, dx);
  const svd = thinSvd(m, dx, dy, compute.threads);
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
