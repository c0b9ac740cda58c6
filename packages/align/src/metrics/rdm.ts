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
  const squared = metric === 'euclidean' || metric === 'sqeuclidean';
  let k = 0;
  for (let i = 0; i < n - 1; i++) {
    let j = i + 1;
    for (; j + 4 <= n; j += 4) {
      pairSums(rows, i * d, j * d, d, squared, out, k);
      k += 4;
    }
    for (; j < n; j++) out[k++] = pairSum(rows, i * d, j * d, d, squared);
  }
  if (metric === 'euclidean') for (let t = 0; t < out.length; t++) out[t] = Math.sqrt(out[t]);
  else if (!squared) for (let t = 0; t < out.length; t++) out[t] = Math.max(0, 1 - out[t]);
  return out;
}

/** Sum of squared differences (or products) of two rows, in index order as scipy's C loop adds them. */
function pairSum(rows: Float64Array, oi: number, oj: number, d: number, squared: boolean): number {
  let s = 0;
  if (squared) {
    for (let t = 0; t < d; t++) {
      const diff = rows[oi + t] - rows[oj + t];
      s += diff * diff;
    }
  } else {
    for (let t = 0; t < d; t++) s += rows[oi + t] * rows[oj + t];
  }
  return s;
}

/**
 * `pairSum` of row i with the four rows from j on, into out[k..k+4). Each sum still adds in index
 * order (bit-identical to one pair at a time); four independent chains hide the addition's
 * latency, which bounds the one-pair loop, and row i is read once for four pairs.
 */
function pairSums(
  rows: Float64Array,
  oi: number,
  oj: number,
  d: number,
  squared: boolean,
  out: Float64Array,
  k: number,
): void {
  const o1 = oj + d;
  const o2 = o1 + d;
  const o3 = o2 + d;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  if (squared) {
    for (let t = 0; t < d; t++) {
      const x = rows[oi + t];
      const d0 = x - rows[oj + t];
      const d1 = x - rows[o1 + t];
      const d2 = x - rows[o2 + t];
      const d3 = x - rows[o3 + t];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
  } else {
    for (let t = 0; t < d; t++) {
      const x = rows[oi + t];
      s0 += x * rows[oj + t];
      s1 += x * rows[o1 + t];
      s2 += x * rows[o2 + t];
      s3 += x * rows[o3 + t];
    }
  }
  out[k] = s0;
  out[k + 1] = s1;
  out[k + 2] = s2;
  out[k + 3] = s3;
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
