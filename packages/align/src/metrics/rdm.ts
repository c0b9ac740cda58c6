import { InvalidArgumentError, type MatrixLike, checkOptions } from '@xling/core';
import { matrixArgument } from '../linalg/validate.js';

/** Distance used by {@link rdm}, with scipy.spatial.distance.pdist's definitions. */
export type RdmMetric = 'euclidean' | 'sqeuclidean' | 'cosine' | 'correlation';

/** Options of {@link rdm}. */
export interface RdmOptions {
  /** @defaultValue 'euclidean' */
  metric?: RdmMetric;
}

export const RDM_METRICS: readonly RdmMetric[] = ['euclidean', 'sqeuclidean', 'cosine', 'correlation'];

/** Row-pair distances of row-major `x` (n x d) in pdist's condensed order; `argument` names x in errors. */
export function condensedDistances(
  data: Float64Array,
  n: number,
  d: number,
  metric: RdmMetric,
  argument: string,
  functionName: string,
): Float64Array {
  let rows = data;
  if (metric === 'cosine' || metric === 'correlation') {
    rows = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let mean = 0;
      if (metric === 'correlation') {
        for (let j = 0; j < d; j++) mean += data[o + j];
        mean /= d;
      }
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const v = data[o + j] - mean;
        rows[o + j] = v;
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      if (norm === 0) {
        throw new InvalidArgumentError(
          argument,
          functionName,
          `must not have a ${metric === 'cosine' ? 'zero' : 'constant'} row for the ${metric} distance, but row ${i} is.`,
        );
      }
      for (let j = 0; j < d; j++) rows[o + j] /= norm;
    }
  }
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n - 1; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let s = 0;
      if (metric === 'euclidean' || metric === 'sqeuclidean') {
        for (let t = 0; t < d; t++) {
          const diff = rows[oi + t] - rows[oj + t];
          s += diff * diff;
        }
        out[k++] = metric === 'euclidean' ? Math.sqrt(s) : s;
      } else {
        for (let t = 0; t < d; t++) s += rows[oi + t] * rows[oj + t];
        out[k++] = Math.max(0, 1 - s);
      }
    }
  }
  return out;
}

/**
 * Representational dissimilarity matrix of the rows of `x`, as pdist's condensed vector: the
 * distances of pairs (0,1), (0,2), ..., (1,2), ... (length n(n-1)/2). Cosine and correlation
 * distances are `1 - cos` of the (row-centred, for correlation) vectors, clipped at 0 as scipy
 * does.
 *
 * @param x - items (shape n x d, n >= 2)
 * @throws XLING_INVALID_ARGUMENT for fewer than 2 rows, NaN/Infinity, a zero row (cosine) or a
 * constant row (correlation).
 * @see scipy.spatial.distance.pdist
 * @example
 * rdm([[0, 0], [3, 4], [6, 8]]); // Float64Array [5, 10, 5]
 */
export function rdm(x: MatrixLike, options: RdmOptions = {}): Float64Array {
  checkOptions(options, { metric: { type: 'enum', values: RDM_METRICS } }, 'rdm');
  const { metric = 'euclidean' } = options;
  const m = matrixArgument(x, 'x', 'rdm');
  return condensedDistances(m.data, m.rows, m.cols, metric, 'x', 'rdm');
}
