import { type MatrixLike, checkOptions } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { centerGram, frobeniusInner, linearGram, rbfGram } from './kernel-core.js';

/** Options of {@link hsic}. */
export interface HsicOptions {
  /** @defaultValue 'linear' */
  kernel?: 'linear' | 'rbf';
  /** RBF bandwidth as a fraction of the median distance (see {@link rbfCka}). @defaultValue 1 */
  threshold?: number;
  /**
   * `true`: the unbiased U-statistic estimator of Song et al. (2012), `<K~, L~> / (n (n - 3))`
   * with the unbiased centring (needs n >= 4). `false`: Gretton's biased estimator
   * `trace(K H L H) / (n - 1)^2`.
   * @defaultValue false
   */
  debiased?: boolean;
}

/**
 * Hilbert-Schmidt independence criterion between the rows of `x` and `y` under a linear or RBF
 * kernel, biased (Gretton et al. 2005) or debiased (Song et al. 2012). CKA is HSIC normalised.
 *
 * @param x - shape n x dx (n >= 2; n >= 4 when debiased)
 * @param y - shape n x dy
 * @throws XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT for too few rows or NaN/Infinity.
 * @see Gretton et al., ALT 2005; Song et al., "Feature selection via dependence maximization",
 * JMLR 13 (2012); Kornblith et al., ICML 2019 (`center_gram(unbiased=True)`)
 * @example
 * hsic(x, y, { debiased: true });
 */
export function hsic(x: MatrixLike, y: MatrixLike, options: HsicOptions = {}): number {
  checkOptions(
    options,
    {
      kernel: { type: 'enum', values: ['linear', 'rbf'] },
      threshold: { type: 'number', min: 0, exclusiveMin: true },
      debiased: { type: 'boolean' },
    },
    'hsic',
  );
  const { kernel = 'linear', threshold = 1, debiased = false } = options;
  const [a, b] = matrixPair(x, y, 'hsic', { minRows: debiased ? 4 : 2 });
  const n = a.rows;
  const gram = (m: typeof a, name: string) =>
    kernel === 'linear' ? linearGram(m.data, n, m.cols) : rbfGram(m.data, n, m.cols, threshold, name, 'hsic');
  const k = centerGram(gram(a, 'x'), n, debiased);
  const l = centerGram(gram(b, 'y'), n, debiased);
  const inner = frobeniusInner(k, l);
  return debiased ? inner / (n * (n - 3)) : inner / ((n - 1) * (n - 1));
}
