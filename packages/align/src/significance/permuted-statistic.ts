import { InvalidArgumentError, type Matrix } from '@xling/core';
import { averageRanks, kendallTauBOrNull, pearsonOrNull } from '../metrics/correlation-core.js';
import { RDM_METRICS, condensedDistances } from '../metrics/rdm.js';
import { RSA_METHODS, type RsaOptions } from '../metrics/rsa.js';
import { nuclearNormFromFactors, procrustesFactor } from '../procrustes/procrustes-core.js';
import { standardize } from '../procrustes/standardize.js';
import { type PairStatistic, evaluate, pickRows } from './statistic.js';

/** A statistic for the row-shuffling tests: a function, or a built-in with a fast path. */
export type ShuffleStatistic = PairStatistic | 'procrustes' | 'rsa';

/** The statistic of the true pairing and a function giving it for `y`'s rows in the order `perm`. */
export interface PreparedStatistic {
  observed: number;
  permuted: (perm: Uint32Array) => number;
}

/**
 * Prepares a statistic for many row permutations of `y`. Built-ins reuse per-side work:
 * `'procrustes'` (scipy's disparity) standardises and factors both sides once — centring and
 * scaling do not change under a row permutation, and permuting B's rows permutes the rows of its
 * factor, so each permutation costs one n x n SVD (O(n^3)) whatever d is; `'rsa'` computes both
 * RDMs (and ranks) once and permutes the entries of y's, O(n^2) per permutation.
 */
export function prepareStatistic(
  statistic: ShuffleStatistic,
  a: Matrix<Float64Array>,
  b: Matrix<Float64Array>,
  rsaOptions: RsaOptions | undefined,
  functionName: string,
): PreparedStatistic {
  if (statistic === 'procrustes') {
    if (a.cols !== b.cols) {
      throw new InvalidArgumentError(
        'y',
        functionName,
        `must have ${a.cols} columns like 'x' for 'procrustes', but got ${b.cols}.`,
      );
    }
    const fa = procrustesFactor(standardize(a, 'x', functionName), a.rows, a.cols);
    const fb = procrustesFactor(standardize(b, 'y', functionName), b.rows, b.cols);
    const disparity = (factor: typeof fb) => {
      const s = nuclearNormFromFactors(fa, factor);
      return Math.max(0, 1 - s * s);
    };
    return {
      observed: disparity(fb),
      permuted: (perm) =>
        disparity({ ...fb, data: pickRows({ rows: fb.rows, cols: fb.cols, data: fb.data }, perm).data }),
    };
  }
  if (statistic === 'rsa') {
    const { metric = 'euclidean', method = 'spearman' } = rsaOptions ?? {};
    if (!RDM_METRICS.includes(metric)) {
      throw new InvalidArgumentError(
        'options.rsa.metric',
        functionName,
        `must be one of ${RDM_METRICS.join(', ')}, but got '${metric}'.`,
      );
    }
    if (!RSA_METHODS.includes(method)) {
      throw new InvalidArgumentError(
        'options.rsa.method',
        functionName,
        `must be one of ${RSA_METHODS.join(', ')}, but got '${method}'.`,
      );
    }
    if (a.rows < 3)
      throw new InvalidArgumentError(
        'x',
        functionName,
        `must have at least 3 rows for 'rsa', but got ${a.rows}.`,
      );
    const n = a.rows;
    const ra = condensedDistances(a.data, n, a.cols, metric, 'x', functionName);
    const rb = condensedDistances(b.data, n, b.cols, metric, 'y', functionName);
    // Spearman: ranks of a permuted vector are the permuted ranks, so rank once.
    const va = method === 'spearman' ? averageRanks(ra) : ra;
    const vb = method === 'spearman' ? averageRanks(rb) : rb;
    const rowStart = new Int32Array(n);
    for (let i = 0; i < n; i++) rowStart[i] = i * n - (i * (i + 1)) / 2 - i - 1;
    const shuffled = new Float64Array(vb.length);
    const correlate = (u: Float64Array) => {
      const r = method === 'kendall' ? kendallTauBOrNull(va, u) : pearsonOrNull(va, u);
      if (r === null)
        throw new InvalidArgumentError(
          'x',
          functionName,
          'or y has all pairwise distances equal, so RSA is undefined.',
        );
      return r;
    };
    return {
      observed: correlate(vb),
      permuted: (perm) => {
        let k = 0;
        for (let i = 0; i < n - 1; i++) {
          const pi = perm[i];
          for (let j = i + 1; j < n; j++) {
            const pj = perm[j];
            // condensed index of pair (min, max) in pdist order
            shuffled[k++] = pi < pj ? vb[rowStart[pi] + pj] : vb[rowStart[pj] + pi];
          }
        }
        return correlate(shuffled);
      },
    };
  }
  if (typeof statistic !== 'function') {
    throw new InvalidArgumentError(
      'statistic',
      functionName,
      `must be a function (x, y) => number, 'procrustes' or 'rsa', but got ${typeof statistic === 'string' ? `'${statistic}'` : typeof statistic}.`,
    );
  }
  return {
    observed: evaluate(statistic, a, b, functionName),
    permuted: (perm) => evaluate(statistic, a, pickRows(b, perm), functionName),
  };
}
