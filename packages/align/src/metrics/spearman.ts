import { InvalidArgumentError } from '@xling/core';
import { averageRanks, pearsonOrNull, vectorPair } from './correlation-core.js';

/**
 * Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank.
 * @throws XLING_INVALID_ARGUMENT for fewer than 2 entries, NaN/Infinity or a constant vector;
 * XLING_SHAPE_MISMATCH for different lengths.
 * @see scipy.stats.spearmanr
 * @example
 * spearman([1, 2, 2, 3], [1, 3, 2, 4]); // 0.9486832980505138
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [x, y] = vectorPair(a, b, 'spearman');
  const r = pearsonOrNull(averageRanks(x), averageRanks(y));
  if (r === null)
    throw new InvalidArgumentError(
      'a',
      'spearman',
      'and b must not be constant (the correlation is undefined).',
    );
  return r;
}
