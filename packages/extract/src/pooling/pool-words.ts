import { InvalidArgumentError } from '@xling/core';

/** Sub-word to word pooling. */
export type Pooling = 'first' | 'last' | 'mean';

/** Allowed {@link Pooling} values. */
export const POOLINGS: readonly Pooling[] = ['first', 'last', 'mean'];

/**
 * Pools sub-word vectors into word vectors. `hidden` holds one sequence's hidden states
 * row-major (`tokens × d`); `spans[i] = [start, end)` are word i's token positions. `first`
 * takes the word's first piece (mBERT convention, METHOD.md section 2), `last` its last piece
 * (what a causal model has seen the whole word at), `mean` the average of its pieces. Writes
 * word i into `out` at row `offset + i` and returns `out`.
 *
 * @throws XLING_INVALID_ARGUMENT for an empty or out-of-range span.
 */
export function poolWords(
  hidden: Float32Array,
  d: number,
  spans: ReadonlyArray<readonly [number, number]>,
  pooling: Pooling,
  out: Float32Array = new Float32Array(spans.length * d),
  offset = 0,
): Float32Array {
  const tokens = hidden.length / d;
  spans.forEach(([start, end], i) => {
    if (!(start >= 0 && end > start && end <= tokens)) {
      throw new InvalidArgumentError(
        'spans',
        'poolWords',
        `must hold non-empty spans within ${tokens} tokens, but span ${i} is [${start}, ${end}).`,
      );
    }
    const target = (offset + i) * d;
    if (pooling === 'first' || pooling === 'last') {
      const row = pooling === 'first' ? start : end - 1;
      out.set(hidden.subarray(row * d, row * d + d), target);
      return;
    }
    // Accumulate in float64 and round once, so 'mean' matches a float64 reference to ~1e-7.
    const sum = new Float64Array(d);
    for (let t = start; t < end; t++) {
      for (let j = 0; j < d; j++) sum[j] += hidden[t * d + j];
    }
    for (let j = 0; j < d; j++) out[target + j] = sum[j] / (end - start);
  });
  return out;
}
