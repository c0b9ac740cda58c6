import type { Matrix } from '@xling/core';
import { secondOrderCosine } from '../metrics/second-order-cosine.js';
import type { ConceptMeasure } from './concept-measure.js';

/** `secondOrderCosine` in the measure registry. */
export const secondOrderCosineMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'secondOrderCosine',
  label: 'second-order-cosine',
  description:
    "mean cosine of each label's similarities to its nearest labels in the two spaces (Hamilton et al. 2016)",
  higherIsMoreAlignable: true,
  minShared: 3,
  options: {
    k: { type: 'integer', min: 1, description: 'neighbours per label (default min(3, shared labels - 1))' },
  },
  prepare: (x) => x,
  compare: (a, b, o) => secondOrderCosine(a, b, o.k === undefined ? {} : { k: o.k as number }),
};
