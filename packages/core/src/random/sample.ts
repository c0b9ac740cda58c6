import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Rng } from './rng.js';

/**
 * Draws `k` distinct indices from [0, n) uniformly (partial Fisher–Yates), in draw order.
 * @throws XLING_INVALID_ARGUMENT when `k > n` or either is not a non-negative integer.
 */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('n', 'sampleIndices', `must be a non-negative integer, but got ${n}.`);
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new InvalidArgumentError('k', 'sampleIndices', `must be an integer in [0, ${n}], but got ${k}.`);
  }
  const pool = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const vi = pool.get(i) ?? i;
    const vj = pool.get(j) ?? j;
    out.push(vj);
    pool.set(j, vi);
  }
  return out;
}
