import { InvalidArgumentError, type Matrix, type MatrixLike, checkOptions } from '@xling/core';
import { centerColumns } from '../linalg/center.js';
import { syrkNT } from '../linalg/gemm.js';
import { gramProduct, productNN } from '../linalg/products.js';
import type { ProductEngine } from '../linalg/product-engine.js';
import { COMPUTE_CONSTRAINTS, type Compute, computeOf, wantsSharedBuffers } from '../linalg/threads.js';
import { thinSvd } from '../linalg/thin-svd.js';
import { matrixPair } from '../linalg/validate.js';
import { parseRidge } from './cca.js';
import { ccaCore } from './cca-core.js';

/** Options of {@link svcca}. */
export interface SvccaOptions {
  /**
   * Keep, per side, the fewest principal directions whose variance share reaches this.
   * @defaultValue 0.99
   */
  varianceShare?: number;
  /** Ridge for the CCA step (see {@link cca}). @defaultValue 0 */
  ridge?: number | readonly [number, number];
  /**
   * Threads for the large n-row products (`X^T X, Y^T Y and those of the CCA step`): 1 computes
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

/** Result of {@link svcca}. */
export interface SvccaResult {
  /** Mean of the canonical correlations. */
  similarity: number;
  correlations: Float64Array;
  /** Principal directions kept for x and y. */
  xComponents: number;
  yComponents: number;
}

/**
 * Reduces one centred side to its top principal components `U_k S_k` (n x k): through the
 * d x d covariance when n > d, else the n x n Gram matrix (same subspace and scores, cheaper).
 */
export function principalScores(
  m: Matrix<Float64Array>,
  share: number,
  compute: Compute,
): { scores: Float64Array; k: number } {
  const { rows: n, cols: d } = m;
  const xc = centerColumns(m, wantsSharedBuffers(compute) && n > d).centered;
  if (n > d) {
    const c = gramProduct(xc, n, d, compute);
    const { v, s } = thinSvd(c, d, d, compute.threads);
    const k = componentsFor(s, share);
    const vk = new Float64Array(d * k);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) vk[i * k + j] = v[i * d + j];
    return { scores: productNN(xc, vk, n, d, k, compute), k };
  }
  const g = syrkNT(xc, n, d);
  const { u, s } = thinSvd(g, n, n);
  const k = componentsFor(s, share);
  const scores = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) scores[i * k + j] = u[i * n + j] * Math.sqrt(s[j]);
  return { scores, k };
}

/** Smallest k whose leading eigenvalues (variances) reach `share` of the total. */
function componentsFor(eigenvalues: Float64Array, share: number): number {
  let total = 0;
  for (const v of eigenvalues) total += v;
  let acc = 0;
  for (let k = 0; k < eigenvalues.length; k++) {
    acc += eigenvalues[k];
    if (acc >= share * total) return k + 1;
  }
  return eigenvalues.length;
}

/**
 * Singular vector CCA (Raghu et al. 2017): reduce each side to the principal components that
 * explain `varianceShare` of its variance, then run CCA between the reductions; the similarity
 * is the mean canonical correlation.
 *
 * @param x - view A (shape n x dx, n >= 2)
 * @param y - view B (shape n x dy)
 * @throws XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT for fewer than 2 rows, NaN/Infinity or a
 * constant matrix.
 * @see Raghu et al., "SVCCA: Singular Vector Canonical Correlation Analysis", NeurIPS 2017
 * @example
 * svcca(x, y, { varianceShare: 0.99 }).similarity;
 */
export function svcca(x: MatrixLike, y: MatrixLike, options: SvccaOptions = {}): SvccaResult {
  const { ridge, ...rest } = options;
  checkOptions(
    rest,
    { varianceShare: { type: 'number', min: 0, max: 1, exclusiveMin: true }, ...COMPUTE_CONSTRAINTS },
    'svcca',
  );
  const { varianceShare = 0.99 } = rest;
  const compute = computeOf(rest);
  const [rx, ry] = parseRidge(ridge, 'svcca');
  const [a, b] = matrixPair(x, y, 'svcca');
  const px = principalScores(a, varianceShare, compute);
  const py = principalScores(b, varianceShare, compute);
  if (px.k === 0 || !centerColumns(a).centered.some((v) => v !== 0)) {
    throw new InvalidArgumentError('x', 'svcca', 'has zero variance in every column.');
  }
  if (!centerColumns(b).centered.some((v) => v !== 0)) {
    throw new InvalidArgumentError('y', 'svcca', 'has zero variance in every column.');
  }
  const core = ccaCore(
    { rows: a.rows, cols: px.k, data: px.scores },
    { rows: b.rows, cols: py.k, data: py.scores },
    rx,
    ry,
    false,
    'svcca',
    compute,
  );
  let sum = 0;
  for (const r of core.correlations) sum += r;
  return {
    similarity: sum / core.correlations.length,
    correlations: core.correlations,
    xComponents: px.k,
    yComponents: py.k,
  };
}
