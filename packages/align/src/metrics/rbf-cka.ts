import { InvalidArgumentError, type MatrixLike, checkOptions } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { centerGram, frobeniusInner, rbfGram } from './kernel-core.js';

/** Options of {@link rbfCka}. */
export interface RbfCkaOptions {
  /**
   * Bandwidth as a fraction of the median distance: `sigma^2 = threshold^2 * median(D^2)`.
   * @defaultValue 1
   */
  threshold?: number;
  /** Use the debiased HSIC estimator; needs n >= 4. @defaultValue false */
  debiased?: boolean;
}

/**
 * CKA with Gaussian (RBF) kernels, bandwidth set from the median squared distance between rows
 * (Kornblith et al.'s `gram_rbf` + `cka`). O(n^2 d) time and O(n^2) memory.
 *
 * @param x - items in space A (shape n x dx, n >= 2; n >= 4 when debiased)
 * @param y - the same items in space B (shape n x dy)
 * @throws XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT for too few rows, NaN/Infinity, or a
 * median pairwise distance of 0 (most rows identical).
 * @see Kornblith et al., ICML 2019 (`gram_rbf`, `center_gram`, `cka`)
 * @example
 * rbfCka(x, y, { threshold: 0.5 });
 */
export function rbfCka(x: MatrixLike, y: MatrixLike, options: RbfCkaOptions = {}): number {
  checkOptions(
    options,
    { threshold: { type: 'number', min: 0, exclusiveMin: true }, debiased: { type: 'boolean' } },
    'rbfCka',
  );
  const { threshold = 1, debiased = false } = options;
  const [a, b] = matrixPair(x, y, 'rbfCka', { minRows: debiased ? 4 : 2 });
  const n = a.rows;
  const k = centerGram(rbfGram(a.data, n, a.cols, threshold, 'x', 'rbfCka'), n, debiased);
  const l = centerGram(rbfGram(b.data, n, b.cols, threshold, 'y', 'rbfCka'), n, debiased);
  const kk = Math.sqrt(frobeniusInner(k, k));
  const ll = Math.sqrt(frobeniusInner(l, l));
  if (!(kk > 0) || !(ll > 0))
    throw new InvalidArgumentError(kk > 0 ? 'y' : 'x', 'rbfCka', 'has a zero centred kernel.');
  return frobeniusInner(k, l) / (kk * ll);
}
