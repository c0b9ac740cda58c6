import { averageRanks, kendallTauBOrNull, pearsonOrNull } from '../metrics/correlation-core.js';
import { RDM_METRICS, type RdmMetric, condensedDistances } from '../metrics/rdm.js';
import { RSA_METHODS, type RsaMethod } from '../metrics/rsa.js';
import type { ConceptMeasure } from './concept-measure.js';

/** A language's RDM (ranked once for Spearman: the ranks of a permuted vector are permuted ranks). */
interface RsaState {
  values: Float64Array;
  n: number;
}

/** Condensed (pdist-order) RDM of the rows of `v`'s matrix reordered by `order`. */
function permuteCondensed(v: Float64Array, n: number, order: Uint32Array): Float64Array {
  const start = (i: number) => i * n - (i * (i + 1)) / 2 - i - 1;
  const out = new Float64Array(v.length);
  let k = 0;
  for (let i = 0; i < n - 1; i++) {
    const pi = order[i];
    for (let j = i + 1; j < n; j++) {
      const pj = order[j];
      out[k++] = pi < pj ? v[start(pi) + pj] : v[start(pj) + pi];
    }
  }
  return out;
}

/** Representational similarity analysis: the correlation of the two languages' RDMs. */
export const rsaMeasure: ConceptMeasure<RsaState> = {
  id: 'rsa',
  label: 'rsa',
  description: 'correlation of the two representational dissimilarity matrices (Kriegeskorte et al. 2008)',
  higherIsMoreAlignable: true,
  minShared: 3,
  options: {
    metric: { type: 'enum', values: RDM_METRICS, default: 'euclidean', description: 'distance of the RDMs' },
    method: {
      type: 'enum',
      values: RSA_METHODS,
      default: 'spearman',
      description: 'correlation of the RDMs',
    },
  },
  prepare: (x, options, where) => {
    const rdm = condensedDistances(
      x.data,
      x.rows,
      x.cols,
      options.metric as RdmMetric,
      where,
      'compareConceptSpaces',
    );
    return { values: options.method === 'spearman' ? averageRanks(rdm) : rdm, n: x.rows };
  },
  // A constant RDM has no correlation: NaN, which compareConceptSpaces reports with the pair.
  compare: (a, b, options) =>
    ((options.method as RsaMethod) === 'kendall'
      ? kendallTauBOrNull(a.values, b.values)
      : pearsonOrNull(a.values, b.values)) ?? Number.NaN,
  permuteRows: (b, order) => ({ values: permuteCondensed(b.values, b.n, order), n: b.n }),
};
