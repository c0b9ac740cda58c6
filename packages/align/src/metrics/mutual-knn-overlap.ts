import { type MatrixLike, checkOptions } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { nearestNeighbours, neighbourCount } from './nearest-neighbours.js';
import { condensedDistances } from './rdm.js';

/** Distance that ranks the neighbours in {@link mutualKnnOverlap} (scipy pdist definitions). */
export type MutualKnnMetric = 'euclidean' | 'cosine';

/** Options of {@link mutualKnnOverlap}. */
export interface MutualKnnOverlapOptions {
  /**
   * Neighbours per row, an integer in [1, n - 2] (at n - 1 every row's neighbours are all the
   * others and the overlap is trivially 1). Chance overlap grows with k / n, so keep k small.
   * @defaultValue min(3, n - 2)
   */
  k?: number;
  /** @defaultValue 'euclidean' */
  metric?: MutualKnnMetric;
}

const METRICS: readonly MutualKnnMetric[] = ['euclidean', 'cosine'];

/**
 * Mutual k-nearest-neighbour overlap: for each row i, the sets N_x(i) and N_y(i) of its k nearest
 * other rows in `x` and in `y`; the mean over i of the Jaccard index
 * `|N_x(i) ∩ N_y(i)| / |N_x(i) ∪ N_y(i)|`. In [0, 1], higher = more similar; 1 for identical
 * spaces, invariant to rotation, isotropic scaling and (Euclidean) translation. Equal distances go
 * to the lower row index, so the result is deterministic.
 *
 * @param x - items in space A (shape n x dx, n >= 3)
 * @param y - the same items in space B (shape n x dy)
 * @returns the mean Jaccard overlap in [0, 1]
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 3
 * rows, NaN/Infinity, k outside [1, n - 2], a zero row (cosine) or an unknown option.
 * @see Klabunde et al., "Similarity of Neural Network Models: A Survey of Functional and
 * Representational Measures" (2023), neighbourhood-based measures (k-NN Jaccard similarity)
 * @example
 * mutualKnnOverlap([[0], [1], [3], [7]], [[0], [2], [6], [14]], { k: 1 }); // 1
 */
export function mutualKnnOverlap(
  x: MatrixLike,
  y: MatrixLike,
  options: MutualKnnOverlapOptions = {},
): number {
  checkOptions(
    options,
    { k: { type: 'integer', min: 1 }, metric: { type: 'enum', values: METRICS } },
    'mutualKnnOverlap',
  );
  const { metric = 'euclidean' } = options;
  const [a, b] = matrixPair(x, y, 'mutualKnnOverlap', { minRows: 3 });
  const n = a.rows;
  const k = neighbourCount(options.k, n - 2, n, 'mutualKnnOverlap');
  const nx = nearestNeighbours(condensedDistances(a.data, n, a.cols, metric, 'x', 'mutualKnnOverlap'), n, k);
  const ny = nearestNeighbours(condensedDistances(b.data, n, b.cols, metric, 'y', 'mutualKnnOverlap'), n, k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const inY = new Set(ny.subarray(i * k, (i + 1) * k));
    let shared = 0;
    for (let t = 0; t < k; t++) if (inY.has(nx[i * k + t])) shared++;
    total += shared / (2 * k - shared);
  }
  return total / n;
}
