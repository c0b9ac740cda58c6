import type { Matrix } from '@xling/core';
import { distanceCorrelation } from '../metrics/distance-correlation.js';
import type { ConceptMeasure } from './concept-measure.js';

/** `distanceCorrelation` in the measure registry. */
export const distanceCorrelationMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'distanceCorrelation',
  label: 'distance-correlation',
  description: 'distance correlation of the two spaces (Szekely, Rizzo & Bakirov 2007)',
  higherIsMoreAlignable: true,
  minShared: 3,
  prepare: (x) => x,
  compare: (a, b) => distanceCorrelation(a, b),
};
