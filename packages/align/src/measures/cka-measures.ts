import type { Matrix } from '@xling/core';
import { linearCka } from '../metrics/linear-cka.js';
import { rbfCka } from '../metrics/rbf-cka.js';
import type { ConceptMeasure } from './concept-measure.js';

const debiased = {
  type: 'boolean',
  default: false,
  description: 'debiased HSIC estimator (Song et al. 2012); needs 4 labels',
} as const;

/** Linear centred kernel alignment (Kornblith et al. 2019). */
export const linearCkaMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'linearCka',
  label: 'linear-cka',
  description: 'linear centred kernel alignment (Kornblith et al. 2019)',
  higherIsMoreAlignable: true,
  minShared: 3,
  options: { debiased },
  prepare: (x) => x,
  compare: (a, b, options) => linearCka(a, b, { debiased: options.debiased === true }),
};

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
