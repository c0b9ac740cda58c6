import { InvalidArgumentError } from '@xling/core';
import { kendallTauBOrNull, vectorPair } from './correlation-core.js';

/**
 * Kendall's tau-b (tie-corrected), in O(n log n) by Knight's merge-sort algorithm.
 * @throws XLING_INVALID_ARGUMENT for fewer than 2 entries, NaN/Infinity or a constant vector;
 * XLING_SHAPE_MISMATCH for different lengths.
 * @see scipy.stats.kendalltau (variant='b'); Knight, JASA 61 (1966)
 * @example
 * kendallTau([1, 2, 3, 4], [1, 3, 2, 4]); // 0.6666666666666666
 */
export function kendallTau(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [x, y] = vectorPair(a, b, 'kendallTau');
  const r = kendallTauBOrNull(x, y);
  if (r === null)
    throw new InvalidArgumentError('a', 'kendallTau', 'and b must not be constant (tau-b is undefined).');
  return r;
}
