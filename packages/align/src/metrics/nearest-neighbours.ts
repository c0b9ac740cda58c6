import { InvalidArgumentError } from '@xling/core';

/** Neighbours per row when the caller gives no `k`: small, because concept spaces have few rows. */
const DEFAULT_NEIGHBOURS = 3;

/** Position of the pair (i, j), i !== j, in a condensed (pdist-order) distance vector of n rows. */
export function condensedIndex(n: number, i: number, j: number): number {
  const lo = Math.min(i, j);
  const hi = Math.max(i, j);
  return lo * n - (lo * (lo + 1)) / 2 + hi - lo - 1;
}

/**
 * Row i's k nearest other rows (row-major n x k, nearest first) from condensed distances. Equal
 * distances go to the lower row index, so the result never depends on the sort's tie order.
 */
export function nearestNeighbours(distances: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n * k);
  const others = new Array<number>(n - 1);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      row[j] = distances[condensedIndex(n, i, j)];
      others[m++] = j;
    }
    others.sort((a, b) => row[a] - row[b] || a - b);
    for (let t = 0; t < k; t++) out[i * k + t] = others[t];
  }
  return out;
}

/**
 * The option `k` (already checked to be an integer >= 1) against its row-dependent maximum;
 * `undefined` gives min(3, max).
 */
export function neighbourCount(k: number | undefined, max: number, n: number, functionName: string): number {
  if (k === undefined) return Math.min(DEFAULT_NEIGHBOURS, max);
  if (k > max) {
    throw new InvalidArgumentError(
      'options.k',
      functionName,
      `must be <= ${max} for ${n} rows, but got ${k}.`,
    );
  }
  return k;
}
