import { deprel, float32ToFloat16, upos } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { wordFormId } from '../baselines/word-form-id.js';
import { buildInstancesFromTensors } from './build-instances-from-tensors.js';

// Two sentences as @xling/extract stores them: "dogs bark" and "I see it" (head -1 = unknown).
const tensors = {
  words: { dtype: 'F32' as const, shape: [5, 2], data: Float32Array.from([1, 0, 0, 1, 2, 2, 3, 5, 7, 1]) },
  root: { dtype: 'F32' as const, shape: [2, 2], data: Float32Array.from([10, 10, 20, 20]) },
  word_counts: { dtype: 'I32' as const, shape: [2], data: Int32Array.from([2, 3]) },
  upos: {
    dtype: 'I32' as const,
    shape: [5],
    data: Int32Array.from(['NOUN', 'VERB', 'PRON', 'VERB', 'PRON'].map((l) => upos.id(l))),
  },
  deprel: {
    dtype: 'I32' as const,
    shape: [5],
    data: Int32Array.from([deprel.id('nsubj'), deprel.id('root'), -1, deprel.id('root'), deprel.id('obj')]),
  },
  head: { dtype: 'I32' as const, shape: [5], data: Int32Array.from([2, 0, 2, 0, -1]) },
};

describe('buildInstancesFromTensors', () => {
  it("buildInstancesFromTensors(tensors, { task: 'deprel' }) drops unknown labels and heads and keeps float32", () => {
    const set = buildInstancesFromTensors(tensors, { task: 'deprel', fitSplit: 'dev' });
    expect(set.x.data).toBeInstanceOf(Float32Array);
    expectClose(
      set.x,
      [
        [-1, 1],
        [10, 9],
        [17, 15],
      ],
      { rtol: 0, atol: 0 },
    );
    expect(Array.from(set.labels)).toEqual([deprel.id('nsubj'), deprel.id('root'), deprel.id('root')]);
    expect(Array.from(set.sentenceOffsets!)).toEqual([0, 2, 3]);
    expect(set.fitSplit).toBe('dev');
  });

  it("buildInstancesFromTensors(tensors, { task: 'upos' }) reads F16 word vectors", () => {
    const half = {
      ...tensors,
      words: { dtype: 'F16' as const, shape: [5, 2], data: float32ToFloat16(tensors.words.data) },
    };
    const set = buildInstancesFromTensors(half, { task: 'upos' });
    expectClose(set.x, tensors.words.data, { rtol: 0, atol: 0 });
    expect(set.labels[1]).toBe(upos.id('VERB'));
  });

  it('buildInstancesFromTensors(tensors, { wordIds }) keeps the ids of the words that are kept', () => {
    const wordIds = Int32Array.from(['dogs', 'bark', 'I', 'see', 'it'].map(wordFormId));
    const rel = buildInstancesFromTensors(tensors, { task: 'deprel', wordIds });
    // 'I' (unknown label) and 'it' (unknown head) are dropped with their ids.
    expect(Array.from(rel.wordIds!)).toEqual(['dogs', 'bark', 'see'].map(wordFormId));
    expect(rel.wordIds!.length).toBe(rel.x.rows);
    const pos = buildInstancesFromTensors(tensors, { task: 'upos', labels: ['VERB'], wordIds });
    expect(Array.from(pos.wordIds!)).toEqual(['bark', 'see'].map(wordFormId));
    expect(Array.from(wordIds)).toEqual(['dogs', 'bark', 'I', 'see', 'it'].map(wordFormId));
    expect(buildInstancesFromTensors(tensors, { task: 'upos' })).not.toHaveProperty('wordIds');
    expect(buildInstancesFromTensors(tensors, { task: 'upos', wordIds: undefined }).x.rows).toBe(5);
  });

  it('buildInstancesFromTensors(tensors, { wordIds }) throws XLING_SHAPE_MISMATCH for a wrong length', () => {
    expect(() => buildInstancesFromTensors(tensors, { task: 'upos', wordIds: Int32Array.of(1, 2) })).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(
          /'options\.wordIds' passed to 'buildInstancesFromTensors' must have 5 entries/,
        ),
      }),
    );
    expect(() =>
      buildInstancesFromTensors(tensors, { task: 'upos', wordIds: [1, 2, 3, 4, 5] as unknown as Int32Array }),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/Int32Array/),
      }),
    );
  });

  it('buildInstancesFromTensors(tensors) throws XLING_INVALID_ARGUMENT for a missing tensor and XLING_SHAPE_MISMATCH for bad lengths', () => {
    const { root: _root, ...noRoot } = tensors;
    expect(() => buildInstancesFromTensors(noRoot, { task: 'deprel' })).toThrow(
      /tensors\.root' passed to 'buildInstancesFromTensors' is required/,
    );
    const short = { ...tensors, upos: { ...tensors.upos, data: Int32Array.of(1) } };
    expect(() => buildInstancesFromTensors(short, { task: 'upos' })).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
  });
});
