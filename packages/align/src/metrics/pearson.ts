import { InvalidArgumentError } from '@xling/core';
import { pearsonOrNull, vectorPair } from './correlation-core.js';

/**
 * Pearson's correlation coefficient of two vectors (two-pass, centred).
 * @throws XLING_INVALID_ARGUMENT for fewer than 2 entries, NaN/Infinity or a constant vector;
 * XLING_SHAPE_MISMATCH for different lengths.
 * @see scipy.stats.pearsonr
 * @example
 * pearson([1, 2, 3], [2, 4, 7]); // 0.9933992677987828
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [x, y] = vectorPair(a, b, 'pearson');
  const r = pearsonOrNull(x, y);
  if (r === null)
    throw new InvalidArgumentError(
      'a',
      'pearson',
      'and b must not be constant (the correlation is undefined).',
    );
  return r;
}
