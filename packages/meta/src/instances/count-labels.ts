import { InvalidArgumentError } from '@xling/core';

/**
 * Number of instances of each label id in `labels` (length `numLabels`).
 * @throws XLING_INVALID_ARGUMENT for a label id outside [0, numLabels).
 * @example countLabels(set.labels, set.numLabels)
 */
export function countLabels(labels: ArrayLike<number>, numLabels: number): Int32Array {
  const counts = new Int32Array(numLabels);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numLabels) {
      throw new InvalidArgumentError(
        'labels',
        'countLabels',
        `must hold ids in [0, ${numLabels}), but entry ${i} is ${y}.`,
      );
    }
    counts[y]++;
  }
  return counts;
}
