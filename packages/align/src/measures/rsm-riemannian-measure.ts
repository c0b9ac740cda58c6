import type { Matrix } from '@xling/core';
import { rsmRiemannianDistance } from '../metrics/rsm-riemannian-distance.js';
import type { ConceptMeasure } from './concept-measure.js';

/** `rsmRiemannianDistance` in the measure registry. */
export const rsmRiemannianMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'rsmRiemannian',
  label: 'rsm-riemannian',
  description:
    'Riemannian distance between the two similarity matrices; needs fewer labels than dimensions (Shahbazi et al. 2021)',
  higherIsMoreAlignable: false,
  minShared: 3,
  prepare: (x) => x,
  compare: (a, b) => rsmRiemannianDistance(a, b),
};
