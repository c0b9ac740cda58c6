import type { Matrix } from '@xling/core';
import { sharedFloat64 } from './parallel-gemm.js';

/**
 * Column means and a centred copy of `m` (n x d). Two passes: the mean, then the mean of the
 * residuals added back as a correction, which keeps the centred columns summing to ~eps even when
 * the data sit far from the origin (the same trick as numpy's two-pass variance). With `shared`
 * the copy lives on a SharedArrayBuffer, so parallel products read it without copying.
 */
export function centerColumns(
  m: Matrix<Float64Array>,
  shared = false,
): { centered: Float64Array; means: Float64Array } {
  const { rows: n, cols: d, data } = m;
  const means = columnMeans(m);
  const centered = shared ? sharedFloat64(n * d) : new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) centered[o + j] = data[o + j] - means[j];
  }
  return { centered, means };
}

/**
 * Column sums of `data - shift` (n x d, row-major), four rows per pass over the sums: the loads
 * and stores of the d running sums, not the additions, bound this loop, so a quarter of them
 * halves its time.
 */
function columnSums(data: Float64Array, n: number, d: number, shift: Float64Array | null): Float64Array {
  const sums = new Float64Array(d);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    if (shift === null) {
      for (let j = 0; j < d; j++) sums[j] += data[o0 + j] + data[o1 + j] + (data[o2 + j] + data[o3 + j]);
    } else {
      for (let j = 0; j < d; j++) {
        const s = shift[j];
        sums[j] += data[o0 + j] - s + (data[o1 + j] - s) + (data[o2 + j] - s + (data[o3 + j] - s));
      }
    }
  }
  for (; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) sums[j] += data[o + j] - (shift === null ? 0 : shift[j]);
  }
  return sums;
}

/** The column means {@link centerColumns} subtracts (two passes: the mean, then the mean of the residuals). */
export function columnMeans(m: Matrix<Float64Array>): Float64Array {
  const { rows: n, cols: d, data } = m;
  const means = columnSums(data, n, d, null);
  for (let j = 0; j < d; j++) means[j] /= n;
  const correction = columnSums(data, n, d, means);
  for (let j = 0; j < d; j++) means[j] += correction[j] / n;
  return means;
}

/** Frobenius norm with scaling against overflow (like LAPACK's dnrm2, without the loop-carried division). */
export function frobeniusNorm(data: Float64Array): number {
  let scale = 0;
  for (let k = 0; k < data.length; k++) {
    const a = Math.abs(data[k]);
    if (a > scale) scale = a;
  }
  if (scale === 0) return 0;
  let sum = 0;
  for (let k = 0; k < data.length; k++) {
    const v = data[k] / scale;
    sum += v * v;
  }
  return scale * Math.sqrt(sum);
}

/** Sum of the entries with Neumaier's compensated summation (d3's fsum, CPython's fsum in spirit). */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}
