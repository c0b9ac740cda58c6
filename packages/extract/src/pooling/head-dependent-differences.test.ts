import type { Tensor } from '@xling/core';
import { float32ToFloat16 } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { headDependentDifferences } from './head-dependent-differences.js';

// Two sentences, d = 2: "a b" (b ← a root... heads [0, 1]) and "c" (head 0).
function tensors(head = [0, 1, 0]): Record<string, Tensor> {
  return {
    words: { dtype: 'F32', shape: [3, 2], data: Float32Array.from([1, 2, 10, 20, 5, 5]) },
    root: { dtype: 'F32', shape: [2, 2], data: Float32Array.from([100, 200, 7, 8]) },
    word_counts: { dtype: 'I32', shape: [2], data: Int32Array.from([2, 1]) },
    head: { dtype: 'I32', shape: [3], data: Int32Array.from(head) },
  };
}

describe('headDependentDifferences(tensors)', () => {
  it("gives h_head − h_dependent with the sentence root vector as the root word's head", () => {
    const m = headDependentDifferences(tensors());
    expect([m.rows, m.cols]).toEqual([3, 2]);
    expect(Array.from(m.data)).toEqual([99, 198, -9, -18, 2, 3]);
  });

  it('reads float16 stores', () => {
    const t = tensors();
    t.words = { dtype: 'F16', shape: [3, 2], data: float32ToFloat16(t.words.data as Float32Array) };
    expect(Array.from(headDependentDifferences(t).data)).toEqual([99, 198, -9, -18, 2, 3]);
  });

  it('headDependentDifferences(tensors) throws XLING_INVALID_ARGUMENT for a missing head or one outside the sentence', () => {
    expect(() => headDependentDifferences(tensors([0, -1, 0]))).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => headDependentDifferences(tensors([0, 3, 0]))).toThrow(/heads in 0\.\.2 .* word 2 has 3/);
    const { head, ...rest } = tensors();
    expect(() => headDependentDifferences(rest)).toThrow(/tensors\.head/);
  });

  it('headDependentDifferences(tensors) throws XLING_SHAPE_MISMATCH when word_counts do not add up to the words', () => {
    const t = tensors();
    t.word_counts = { dtype: 'I32', shape: [2], data: Int32Array.from([2, 2]) };
    expect(() => headDependentDifferences(t)).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
  });
});
