import { InvalidArgumentError, type Matrix, type MatrixLike, ShapeMismatchError } from '@xling/core';

import { asMatrixView } from '../internal/as-matrix-view.js';
/** Result of {@link classMeans}. */
export interface ClassMeans {
  /** Mean vector of each present label, rows aligned with `labels`: flat `labels.length × d`. */
  means: Float64Array;
  /** Label ids with at least one instance, ascending. */
  labels: Int32Array;
  /** Instances per label id (length `numLabels`). */
  counts: Int32Array;
}

/**
 * Class means mu_c of raw vectors (METHOD.md section 3), for the labels that occur.
 * @throws XLING_SHAPE_MISMATCH when `labels` does not have one entry per row
 * @example classMeans(x, labels, 17).means
 */
export function classMeans(x: MatrixLike, labels: ArrayLike<number>, numLabels: number): ClassMeans {
  const m: Matrix = asMatrixView(x, 'x', 'classMeans');
  if (labels.length !== m.rows)
    throw new ShapeMismatchError('labels', 'classMeans', `${m.rows} entries`, String(labels.length));
  const d = m.cols;
  const counts = new Int32Array(numLabels);
  const sums = new Float64Array(numLabels * d);
  for (let i = 0; i < m.rows; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numLabels) {
      throw new InvalidArgumentError(
        'labels',
        'classMeans',
        `must hold ids in [0, ${numLabels}), but entry ${i} is ${y}.`,
      );
    }
    counts[y]++;
    for (let j = 0; j < d; j++) sums[y * d + j] += m.data[i * d + j];
  }
  const present: number[] = [];
  for (let c = 0; c < numLabels; c++) if (counts[c] > 0) present.push(c);
  const means = new Float64Array(present.length * d);
  present.forEach((c, r) => {
    for (let j = 0; j < d; j++) means[r * d + j] = sums[c * d + j] / counts[c];
  });
  return { means, labels: Int32Array.from(present), counts };
}
