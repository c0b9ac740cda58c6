import { InvalidArgumentError, type MatrixLike, checkOptions } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { condensedIndex, nearestNeighbours, neighbourCount } from './nearest-neighbours.js';
import { condensedDistances } from './rdm.js';

/** Options of {@link secondOrderCosine}. */
export interface SecondOrderCosineOptions {
  /**
   * Cosine nearest neighbours per row and space, an integer in [1, n - 1] (n - 1 compares each
   * row's similarities to all other rows).
   * @defaultValue min(3, n - 1)
   */
  k?: number;
}

/** Cosine of row i's first-order similarity vectors over `union`; cosine similarity = 1 - distance. */
function rowCosine(i: number, union: Set<number>, dx: Float64Array, dy: Float64Array, n: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (const j of union) {
    const p = condensedIndex(n, i, j);
    const sx = 1 - dx[p];
    const sy = 1 - dy[p];
    xy += sx * sy;
    xx += sx * sx;
    yy += sy * sy;
  }
  if (xx === 0 || yy === 0) {
    throw new InvalidArgumentError(
      xx === 0 ? 'x' : 'y',
      'secondOrderCosine',
      `has row ${i} orthogonal to all its nearest neighbours, so its second-order vector is zero.`,
    );
  }
  return xy / (Math.sqrt(xx) * Math.sqrt(yy));
}

/**
 * Second-order cosine similarity (Hamilton et al. 2016): for each row i, the union U_i of its k
 * nearest neighbours by cosine in `x` and in `y`; the vectors of cosine similarities of row i to
 * the rows of U_i in `x` and in `y`; the mean over i of the cosine between those two vectors.
 * In [-1, 1], higher = more similar; 1 for identical spaces, invariant to rotation and isotropic
 * scaling (not to translation). Equal distances go to the lower row index.
 *
 * @param x - items in space A (shape n x dx, n >= 3)
 * @param y - the same items in space B (shape n x dy)
 * @returns the mean second-order cosine in [-1, 1]
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 3
 * rows, NaN/Infinity, a zero row, k outside [1, n - 1], a row orthogonal to all its neighbours or
 * an unknown option.
 * @see Hamilton, Leskovec & Jurafsky, "Cultural Shift or Linguistic Drift? Comparing Two
 * Computational Measures of Semantic Change", EMNLP 2016 (local neighbourhood measure); Klabunde et al. (2023)
 * @example
 * secondOrderCosine([[1, 0], [1, 1], [0, 1]], [[2, 0], [2, 2], [0, 2]]); // 1
 */
export function secondOrderCosine(
  x: MatrixLike,
  y: MatrixLike,
  options: SecondOrderCosineOptions = {},
): number {
  checkOptions(options, { k: { type: 'integer', min: 1 } }, 'secondOrderCosine');
  const [a, b] = matrixPair(x, y, 'secondOrderCosine', { minRows: 3 });
  const n = a.rows;
  const k = neighbourCount(options.k, n - 1, n, 'secondOrderCosine');
  const dx = condensedDistances(a.data, n, a.cols, 'cosine', 'x', 'secondOrderCosine');
  const dy = condensedDistances(b.data, n, b.cols, 'cosine', 'y', 'secondOrderCosine');
  const nx = nearestNeighbours(dx, n, k);
  const ny = nearestNeighbours(dy, n, k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const union = new Set([...nx.subarray(i * k, (i + 1) * k), ...ny.subarray(i * k, (i + 1) * k)]);
    total += rowCosine(i, union, dx, dy, n);
  }
  return total / n;
}
