import {
  type ProcrustesFactor,
  nuclearNormFromFactors,
  procrustesFactor,
} from '../procrustes/procrustes-core.js';
import { standardize } from '../procrustes/standardize.js';
import { pickRows } from '../significance/statistic.js';
import type { ConceptMeasure } from './concept-measure.js';

/**
 * scipy's Procrustes disparity `1 - ||A^T B||_*^2` of the standardised prototype matrices. The
 * per-language factor makes a pair cost one n x n SVD whatever the dimension, and permuting the
 * second language's rows permutes its factor's rows.
 */
export const procrustesMeasure: ConceptMeasure<ProcrustesFactor> = {
  id: 'procrustes',
  label: 'procrustes',
  description: "scipy's Procrustes disparity after standardising both sides (0 = identical up to rotation)",
  higherIsMoreAlignable: false,
  minShared: 3,
  sameDimension: true,
  prepare: (x, _options, where) =>
    procrustesFactor(standardize(x, where, 'compareConceptSpaces'), x.rows, x.cols),
  compare: (a, b) => {
    const s = nuclearNormFromFactors(a, b);
    return Math.max(0, 1 - s * s);
  },
  permuteRows: (b, order) => ({ ...b, data: pickRows(b, order).data }),
};
