import { InvalidArgumentError, type MatrixLike, checkOptions } from '@xling/core';
import type { ProductEngine } from '../linalg/product-engine.js';
import { COMPUTE_CONSTRAINTS, computeOf } from '../linalg/threads.js';
import { matrixPair } from '../linalg/validate.js';
import { debiasedTerm, linearTerms } from './kernel-core.js';

/** Options of {@link linearCka}. */
export interface LinearCkaOptions {
  /**
   * Use the debiased HSIC estimator (Song et al. 2012) instead of the biased one; needs n >= 4.
   * @defaultValue false
   */
  debiased?: boolean;
  /**
   * Threads for the large n-row products (`X^T Y`, `X^T X`, `Y^T Y` of the feature-space route;
   * the Gram route, taken when n is small, stays on the calling thread): 1 computes everything on
   * the calling thread; more splits the rows over that many threads (the caller plus worker_threads, started on
   * first use, `unref`'d, stopped by `terminateAlignWorkers()`). `os.availableParallelism()` is what
   * big inputs want. Results agree with `threads: 1` to ~1e-14 relative, not bitwise (the partial
   * sums are added in another order), and are identical run to run for the same thread count.
   * Products under ~8M multiply-adds stay on the calling thread.
   * @defaultValue 1
   */
  threads?: number;
  /**
   * Runs the large products on a native engine instead of the built-in wasm kernels, e.g.
   * `onnxruntimeEngine()` from `@xling/align-onnxruntime`; results agree to ~1e-14 relative.
   */
  engine?: ProductEngine;
}

/**
 * Linear centred kernel alignment: `||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F)` for column-centred
 * X and Y (same items in the same row order; dimensions may differ). Computed in feature space
 * or Gram space, whichever is cheaper (the two are equal). Invariant to rotation and isotropic
 * scaling; 1 for identical spaces.
 *
 * @param x - items in space A (shape n x dx, n >= 2; n >= 4 when debiased)
 * @param y - the same items in space B (shape n x dy)
 * @returns CKA in [0, 1] (the debiased estimate can be slightly negative)
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for too few rows,
 * NaN/Infinity or a constant matrix (zero variance in every column).
 * @see Kornblith et al., "Similarity of Neural Network Representations Revisited", ICML 2019
 * (`feature_space_linear_cka` in their notebook)
 * @example
 * linearCka([[1, 0], [0, 1], [1, 1]], [[2, 0], [0, 2], [2, 2]]); // 1
 */
export function linearCka(x: MatrixLike, y: MatrixLike, options: LinearCkaOptions = {}): number {
  checkOptions(options, { debiased: { type: 'boolean' }, ...COMPUTE_CONSTRAINTS }, 'linearCka');
  const { debiased = false } = options;
  const [a, b] = matrixPair(x, y, 'linearCka', { minRows: debiased ? 4 : 2 });
  const t = linearTerms(a, b, computeOf(options));
  if (t.xx === 0) throw new InvalidArgumentError('x', 'linearCka', 'has zero variance in every column.');
  if (t.yy === 0) throw new InvalidArgumentError('y', 'linearCka', 'has zero variance in every column.');
  if (!debiased) return t.xy / (Math.sqrt(t.xx) * Math.sqrt(t.yy));
  const xy = debiasedTerm(t.xy, t.rowNormsX, t.rowNormsY, t.n);
  const xx = debiasedTerm(t.xx, t.rowNormsX, t.rowNormsX, t.n);
  const yy = debiasedTerm(t.yy, t.rowNormsY, t.rowNormsY, t.n);
  if (!(xx > 0) || !(yy > 0)) {
    throw new InvalidArgumentError(
      xx > 0 ? 'y' : 'x',
      'linearCka',
      'has a non-positive debiased self-similarity (too few distinct rows).',
    );
  }
  return xy / (Math.sqrt(xx) * Math.sqrt(yy));
}
