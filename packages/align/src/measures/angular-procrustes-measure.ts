import type { Matrix } from '@xling/core';
import { angularProcrustes } from '../metrics/angular-procrustes.js';
import type { ConceptMeasure } from './concept-measure.js';

/** `angularProcrustes` in the measure registry. */
export const angularProcrustesMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'angularProcrustes',
  label: 'angular-procrustes',
  description:
    'angle between the centred spaces after the best rotation, in [0, pi/2] (Williams et al. 2021)',
  higherIsMoreAlignable: false,
  minShared: 3,
  prepare: (x) => x,
  compare: (a, b) => angularProcrustes(a, b),
};
