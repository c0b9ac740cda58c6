import type { Matrix } from '@xling/core';
import { mutualKnnOverlap } from '../metrics/mutual-knn-overlap.js';
import type { ConceptMeasure } from './concept-measure.js';

/** `mutualKnnOverlap` in the measure registry. */
export const mutualKnnMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'mutualKnn',
  label: 'mutual-knn',
  description:
    "mean Jaccard overlap of each label's k nearest labels in the two spaces (Klabunde et al. 2023)",
  higherIsMoreAlignable: true,
  minShared: 3,
  options: {
    k: { type: 'integer', min: 1, description: 'neighbours per label (default min(3, shared labels - 2))' },
    metric: {
      type: 'enum',
      values: ['euclidean', 'cosine'],
      default: 'euclidean',
      description: 'distance for the neighbours',
    },
  },
  prepare: (x) => x,
  compare: (a, b, o) =>
    mutualKnnOverlap(a, b, {
      metric: o.metric as 'euclidean' | 'cosine',
      ...(o.k === undefined ? {} : { k: o.k as number }),
    }),
};
