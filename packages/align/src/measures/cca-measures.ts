import type { Matrix } from '@xling/core';
import { cca } from '../cca/cca.js';
import { pwcca } from '../cca/pwcca.js';
import { svcca } from '../cca/svcca.js';
import type { ConceptMeasure } from './concept-measure.js';

const ridge = {
  type: 'number',
  min: 0,
  default: 0,
  description: 'ridge on each covariance; prototypes have fewer labels than dimensions, so set it > 0',
} as const;

const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;

/** Mean canonical correlation. */
export const ccaMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'cca',
  label: 'cca',
  description: 'mean canonical correlation (Hotelling 1936); needs more labels than dimensions or a ridge',
  higherIsMoreAlignable: true,
  minShared: 3,
  options: { ridge },
  prepare: (x) => x,
  compare: (a, b, options) =>
    mean(cca(a, b, { ridge: options.ridge as number, weights: false }).correlations),
};

/** SVCCA: CCA on each side's leading principal directions (Raghu et al. 2017). */
export const svccaMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'svcca',
  label: 'svcca',
  description: "mean canonical correlation of each side's leading principal directions (Raghu et al. 2017)",
  higherIsMoreAlignable: true,
  minShared: 3,
  options: {
    varianceShare: {
      type: 'number',
      min: 0,
      max: 1,
      exclusiveMin: true,
      default: 0.99,
      description: 'variance share the kept principal directions reach',
    },
    ridge,
  },
  prepare: (x) => x,
  compare: (a, b, options) =>
    svcca(a, b, { varianceShare: options.varianceShare as number, ridge: options.ridge as number })
      .similarity,
};

/** PWCCA: canonical correlations weighted by how much of the representation each explains. */
export const pwccaMeasure: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'pwcca',
  label: 'pwcca',
  description: 'projection-weighted mean canonical correlation (Morcos et al. 2018)',
  higherIsMoreAlignable: true,
  minShared: 3,
  options: { ridge },
  prepare: (x) => x,
  compare: (a, b, options) => pwcca(a, b, { ridge: options.ridge as number }).similarity,
};
