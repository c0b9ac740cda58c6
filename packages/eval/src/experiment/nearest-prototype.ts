import type { Matrix } from '@xling/core';

/**
 * Label id of the nearest prototype (squared Euclidean distance) for each row of `z`.
 * `prototypes` has one row per entry of `labels`.
 */
export function nearestPrototype(z: Matrix, prototypes: Matrix, labels: ArrayLike<number>): Int32Array {
  const { rows, cols } = z;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = Number.POSITIVE_INFINITY;
    let bestLabel = -1;
    for (let c = 0; c < prototypes.rows; c++) {
      let d = 0;
      for (let j = 0; j < cols; j++) {
        const diff = z.data[i * cols + j] - prototypes.data[c * cols + j];
        d += diff * diff;
      }
      if (d < best) {
        best = d;
        bestLabel = labels[c];
      }
    }
    out[i] = bestLabel;
  }
  return out;
}
