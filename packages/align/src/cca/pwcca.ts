import { type MatrixLike, checkOptions } from '@xling/core';
import type { ProductEngine } from '../linalg/product-engine.js';
import { crossProduct, productNN } from '../linalg/products.js';
import { COMPUTE_CONSTRAINTS, computeOf } from '../linalg/threads.js';
import { matrixPair } from '../linalg/validate.js';
import { parseRidge } from './cca.js';
import { ccaCore } from './cca-core.js';

/** Options of {@link pwcca}. */
export interface PwccaOptions {
  /** Ridge for the CCA step (see {@link cca}). @defaultValue 0 */
  ridge?: number | readonly [number, number];
  /**
   * Threads for the large n-row products (`X^T X, Y^T Y, X^T Y and the projections`): 1 computes
   * everything on the calling thread; more splits the rows over that many threads (the caller plus
   * worker_threads, started on first use, `unref`'d, stopped by `terminateAlignWorkers()`).
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

/** Result of {@link pwcca}. */
export interface PwccaResult {
  /** Weighted mean of the canonical correlations. */
  similarity: number;
  correlations: Float64Array;
  /** Weight of each canonical correlation (sums to 1). */
  weights: Float64Array;
}

/**
 * Projection-weighted CCA (Morcos et al. 2018): canonical correlations weighted by how much of
 * the original representation each canonical variate accounts for,
 * `alpha_i = sum_j |<h_i, z_j>|` (h_i the unit-norm canonical variate, z_j the centred j-th
 * column), normalised to sum to 1, computed on the side with fewer columns (x on a tie), as the
 * reference code does. Deviation: the reference adds the column means back before weighting;
 * here both the variates and the columns are centred, so the weights do not depend on where the
 * data sit.
 *
 * @param x - view A (shape n x dx, n > dx unless ridge > 0)
 * @param y - view B (shape n x dy)
 * @throws XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT as {@link cca}.
 * @see Morcos, Raghu & Bengio, "Insights on representational similarity in neural networks with
 * canonical correlation", NeurIPS 2018 (google/svcca `compute_pwcca`)
 * @example
 * pwcca(x, y).similarity;
 */
export function pwcca(x: MatrixLike, y: MatrixLike, options: PwccaOptions = {}): PwccaResult {
  const { ridge, ...rest } = options;
  checkOptions(rest, COMPUTE_CONSTRAINTS, 'pwcca');
  const compute = computeOf(rest);
  const [rx, ry] = parseRidge(ridge, 'pwcca');
  const [a, b] = matrixPair(x, y, 'pwcca');
  const core = ccaCore(a, b, rx, ry, true, 'pwcca', compute, true);
  const n = a.rows;
  const k = core.k;
  const useX = a.cols <= b.cols;
  const d = useX ? a.cols : b.cols;
  const centered = (useX ? core.xCentered : core.yCentered)!;
  const variates = productNN(centered, (useX ? core.xWeights : core.yWeights)!, n, d, k, compute);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += variates[i * k + j] ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < n; i++) variates[i * k + j] /= norm;
  }
  const projections = crossProduct(variates, centered, n, k, d, compute);
  const weights = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Math.abs(projections[i * d + j]);
    weights[i] = s;
    total += s;
  }
  let similarity = 0;
  for (let i = 0; i < k; i++) {
    weights[i] /= total;
    similarity += weights[i] * core.correlations[i];
  }
  return { similarity, correlations: core.correlations, weights };
}
