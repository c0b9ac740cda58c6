import type { Matrix } from '@xling/core';
import { normalizedBures } from '../metrics/normalized-bures.js';
import type { ConceptMeasure } from './concept-measure.js';

/** `normalizedBures` in the measure registry. */
export const normalizedBuresMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'normalizedBures',
  label: 'normalized-bures',
  description:
    'normalised Bures similarity of the centred Gram matrices (Tang et al. 2020; = cos of angularProcrustes)',
  higherIsMoreAlignable: true,
  minShared: 3,
  prepare: (x) => x,
  compare: (a, b) => normalizedBures(a, b),
};
