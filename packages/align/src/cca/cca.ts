import { InvalidArgumentError, type Matrix, type MatrixLike, checkOptions } from '@xling/core';
import type { ProductEngine } from '../linalg/product-engine.js';
import { COMPUTE_CONSTRAINTS, computeOf } from '../linalg/threads.js';
import { matrixPair } from '../linalg/validate.js';
import { ccaCore } from './cca-core.js';

/** Options of {@link cca}. */
export interface CcaOptions {
  /**
   * Ridge added to the diagonal of each covariance (`C_xx + ridge I`, `C_yy + ridge I`, with
   * covariances divided by n - 1); a number for both sides or `[ridgeX, ridgeY]`. Needed when a
   * side has more columns than rows or collinear columns.
   * @defaultValue 0
   */
  ridge?: number | readonly [number, number];
  /**
   * Also compute the canonical weights (directions). Off saves the d x d singular vectors.
   * @defaultValue true
   */
  weights?: boolean;
  /**
   * Threads for the large n-row products (`X^T X, Y^T Y, X^T Y`): 1 computes everything on the
   * calling thread; more splits the rows over that many threads (the caller plus worker_threads,
   * started on first use, `unref`'d, stopped by `terminateAlignWorkers()`).
   * `os.availableParallelism()` is what big inputs want. Results agree with `threads: 1` to ~1e-14
   * relative, not bitwise (the partial sums are added in another order), and are identical run to
   * run for the same thread count. Products under ~8M multiply-adds stay on the calling thread.
   * @defaultValue 1
   */
  threads?: number;
  /**
   * Runs the large products on a native engine instead of the built-in wasm kernels, e.g.
   * `onnxruntimeEngine()` from `@xling/align-onnxruntime`; results agree to ~1e-14 relative.
   */
  engine?: ProductEngine;
}

/** Result of {@link cca}. */
export interface CcaResult {
  /** Canonical correlations, descending, k = min(dx, dy) of them, in [0, 1]. */
  correlations: Float64Array;
  /** x weights (dx x k): canonical variates `(x - xMean) xWeights` have unit variance. */
  xWeights?: Matrix<Float64Array>;
  /** y weights (dy x k), signs paired with xWeights (sklearn's svd_flip on the x side). */
  yWeights?: Matrix<Float64Array>;
  xMean: Float64Array;
  yMean: Float64Array;
}

export function parseRidge(ridge: unknown, functionName: string): [number, number] {
  if (ridge === undefined) return [0, 0];
  const pair = Array.isArray(ridge) ? ridge : [ridge, ridge];
  if (pair.length !== 2 || !pair.every((r) => typeof r === 'number' && Number.isFinite(r) && r >= 0)) {
    throw new InvalidArgumentError(
      'options.ridge',
      functionName,
      `must be a finite number >= 0 or a pair of them, but got ${JSON.stringify(ridge)}.`,
    );
  }
  return [pair[0], pair[1]];
}

/**
 * Canonical correlation analysis between two views of the same items (rows), optionally with
 * ridge regularisation. Solved through Cholesky factors of the (regularised) covariances and an
 * SVD of the whitened cross-covariance — no explicit inverse.
 *
 * @param x - view A (shape n x dx, n >= 2; n > dx unless ridge > 0)
 * @param y - view B (shape n x dy)
 * @returns `{ correlations, xWeights, yWeights, xMean, yMean }`
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 2
 * rows, NaN/Infinity, a zero-variance column or a singular covariance without ridge.
 * @see Hotelling, "Relations between two sets of variates", Biometrika 28 (1936); Björck & Golub,
 * Math. Comp. 27 (1973); Vinod (1976) for the ridge
 * @example
 * cca(x, y).correlations[0]; // the first canonical correlation
 */
export function cca(x: MatrixLike, y: MatrixLike, options: CcaOptions = {}): CcaResult {
  const { ridge: _ridge, ...rest } = options;
  checkOptions(rest, { weights: { type: 'boolean' }, ...COMPUTE_CONSTRAINTS }, 'cca');
  return ccaWithRidge(x, y, options, 'cca');
}

export function ccaWithRidge(
  x: MatrixLike,
  y: MatrixLike,
  options: CcaOptions,
  functionName: string,
): CcaResult {
  const [rx, ry] = parseRidge(options.ridge, functionName);
  const { weights = true } = options;
  const [a, b] = matrixPair(x, y, functionName);
  const core = ccaCore(a, b, rx, ry, weights, functionName, computeOf(options));
  const result: CcaResult = { correlations: core.correlations, xMean: core.xMean, yMean: core.yMean };
  if (core.xWeights && core.yWeights) {
    result.xWeights = { rows: a.cols, cols: core.k, data: core.xWeights };
    result.yWeights = { rows: b.cols, cols: core.k, data: core.yWeights };
  }
  return result;
}
