import { InvalidArgumentError, type Matrix } from '@xling/core';
import { type ScaledGram, gramInner, permuteGram, scaledGram } from '../metrics/kernel-core.js';
import { linearCka } from '../metrics/linear-cka.js';
import { pickRows } from '../significance/statistic.js';
import { rbfCka } from '../metrics/rbf-cka.js';
import type { ConceptMeasure } from './concept-measure.js';

const debiased = {
  type: 'boolean',
  default: false,
  description: 'debiased HSIC estimator (Song et al. 2012); needs 4 labels',
} as const;

/**
 * A language for linear CKA: its prototypes (rows taken in `order` when permuted; applied only
 * where `linearCka` itself runs) and, where CKA takes the Gram route, its Gram matrix.
 */
interface CkaState {
  x: Matrix<Float64Array>;
  order: ArrayLike<number> | null;
  gram: ScaledGram | null;
}

const rowsOf = (s: CkaState) => (s.order === null ? s.x : pickRows(s.x, s.order));

/**
 * Linear centred kernel alignment (Kornblith et al. 2019). With more columns than rows (concept
 * spaces: a few dozen labels in hundreds of dimensions) `linearCka` works on the n x n centred
 * Gram matrices, so each language's is computed once, and a permutation of the second language's
 * rows is a permutation of its Gram's rows and columns, O(n^2) instead of re-centring and
 * multiplying O(n^2 d) (this measure's permutation tests took most of the demo's alignability
 * stage). The value is bit-identical to `linearCka(a, b)` on that route; otherwise, and for the
 * debiased estimate, `linearCka` itself runs.
 */
export const linearCkaMeasure: ConceptMeasure<CkaState> = {
  id: 'linearCka',
  label: 'linear-cka',
  description: 'linear centred kernel alignment (Kornblith et al. 2019)',
  higherIsMoreAlignable: true,
  minShared: 3,
  options: { debiased },
  // linearCka takes the Gram route when dx + dy > 2n: certain for two sides with d > n. The
  // debiased estimate always goes through linearCka, so it needs no Gram matrix.
  prepare: (x, options) => ({
    x,
    order: null,
    gram: options.debiased !== true && x.cols > x.rows ? scaledGram(x) : null,
  }),
  compare: (a, b, options) => {
    if (options.debiased === true || a.gram === null || b.gram === null || a.x.rows !== b.x.rows) {
      return linearCka(rowsOf(a), rowsOf(b), { debiased: options.debiased === true });
    }
    if (a.gram.squared === 0) throw zeroVariance('x');
    if (b.gram.squared === 0) throw zeroVariance('y');
    return gramInner(a.gram, b.gram) / (Math.sqrt(a.gram.squared) * Math.sqrt(b.gram.squared));
  },
  permuteRows: (b, order) => ({
    x: b.x,
    // A copy: the caller may reuse its order array.
    order: b.order === null ? Array.from(order) : Array.from(order, (i) => b.order![i]),
    gram: b.gram === null ? null : permuteGram(b.gram, order),
  }),
};

function zeroVariance(argument: 'x' | 'y'): InvalidArgumentError {
  return new InvalidArgumentError(argument, 'linearCka', 'has zero variance in every column.');
}

/** CKA with Gaussian kernels, bandwidth from the median distance (Kornblith et al. 2019). */
export const rbfCkaMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'rbfCka',
  label: 'rbf-cka',
  description:
    'CKA with Gaussian kernels, bandwidth a fraction of the median distance (Kornblith et al. 2019)',
  higherIsMoreAlignable: true,
  minShared: 3,
  options: {
    threshold: {
      type: 'number',
      min: 0,
      exclusiveMin: true,
      default: 1,
      description: 'bandwidth / median distance',
    },
    debiased,
  },
  prepare: (x) => x,
  compare: (a, b, options) =>
    rbfCka(a, b, { threshold: options.threshold as number, debiased: options.debiased === true }),
};
