import { DEPREL_LABELS, UPOS_LABELS, deprel, float32ToFloat16, upos } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { wordFormId } from '../baselines/word-form-id.js';
import { buildInstancesFromTensors, type InstanceTensors } from './build-instances-from-tensors.js';

// Two sentences as @xling/extract stores them: "dogs bark" and "I see it" (head -1 = unknown).
const tensors = {
  words: { dtype: 'F32' as const, shape: [5, 2], data: Float32Array.from([1, 0, 0, 1, 2, 2, 3, 5, 7, 1]) },
  root: { dtype: 'F32' as const, shape: [2, 2], data: Float32Array.from([10, 10, 20, 20]) },
  word_counts: { dtype: 'I32' as const, shape: [2], data: Int32Array.from([2, 3]) },
  head: { dtype: 'I32' as const, shape: [5], data: Int32Array.from([2, 0, 2, 0, -1]) },
};
const uposIds = Int32Array.from(['NOUN', 'VERB', 'PRON', 'VERB', 'PRON'].map((l) => upos.id(l)));
const deprelIds = Int32Array.from([
  deprel.id('nsubj'),
  deprel.id('root'),
  -1,
  deprel.id('root'),
  deprel.id('obj'),
]);
const pos: InstanceTensors = { tensors, labelIds: uposIds, labelNames: UPOS_LABELS };
const rel: InstanceTensors = { tensors, labelIds: deprelIds, labelNames: DEPREL_LABELS };

describe('buildInstancesFromTensors', () => {
  it("buildInstancesFromTensors({ tensors, labelIds, labelNames }, { task: 'deprel' }) drops unknown labels and heads and keeps float32", () => {
    const set = buildInstancesFromTensors(rel, { task: 'deprel', fitSplit: 'dev' });
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
    expect(set.numLabels).toBe(DEPREL_LABELS.length);
  });

  it("buildInstancesFromTensors(input, { task: 'upos' }) reads F16 word vectors and plain arrays of ids", () => {
    const words = { dtype: 'F16' as const, shape: [5, 2], data: float32ToFloat16(tensors.words.data) };
    const set = buildInstancesFromTensors(
      { tensors: { ...tensors, words }, labelIds: Array.from(uposIds), labelNames: UPOS_LABELS },
      { task: 'upos' },
    );
    expectClose(set.x, tensors.words.data, { rtol: 0, atol: 0 });
    expect(Array.from(set.labels)).toEqual(Array.from(uposIds));
  });

  it('buildInstancesFromTensors(input) maps ids of another inventory to the task’s by name, dropping unknown names', () => {
    // A store that numbered its labels differently, with a subtype and a name UPOS does not have.
    const labelNames = ['VERB', 'NOUN', 'CLITIC'];
    const set = buildInstancesFromTensors(
      { tensors, labelIds: Int32Array.of(1, 0, 2, 0, -1), labelNames },
      { task: 'upos' },
    );
    expect(Array.from(set.labels)).toEqual([upos.id('NOUN'), upos.id('VERB'), upos.id('VERB')]);
    const subtyped = buildInstancesFromTensors(
      { tensors, labelIds: Int32Array.of(0, 1, -1, 1, -1), labelNames: ['nsubj:pass', 'root'] },
      { task: 'deprel' },
    );
    expect(Array.from(subtyped.labels)).toEqual([deprel.id('nsubj'), deprel.id('root'), deprel.id('root')]);
  });

  it('buildInstancesFromTensors({ wordIds }) keeps the ids of the words that are kept', () => {
    const wordIds = Int32Array.from(['dogs', 'bark', 'I', 'see', 'it'].map(wordFormId));
    const kept = buildInstancesFromTensors({ ...rel, wordIds }, { task: 'deprel' });
    // 'I' (unknown label) and 'it' (unknown head) are dropped with their ids.
    expect(Array.from(kept.wordIds!)).toEqual(['dogs', 'bark', 'see'].map(wordFormId));
    expect(kept.wordIds!.length).toBe(kept.x.rows);
    const verbs = buildInstancesFromTensors({ ...pos, wordIds }, { task: 'upos', labels: ['VERB'] });
    expect(Array.from(verbs.wordIds!)).toEqual(['bark', 'see'].map(wordFormId));
    expect(Array.from(wordIds)).toEqual(['dogs', 'bark', 'I', 'see', 'it'].map(wordFormId));
    expect(buildInstancesFromTensors(pos, { task: 'upos' })).not.toHaveProperty('wordIds');
    expect(buildInstancesFromTensors({ ...pos, wordIds: undefined }, { task: 'upos' }).x.rows).toBe(5);
  });

  it('buildInstancesFromTensors({ wordIds }) throws XLING_SHAPE_MISMATCH for a wrong length', () => {
    expect(() =>
      buildInstancesFromTensors({ ...pos, wordIds: Int32Array.of(1, 2) }, { task: 'upos' }),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(
          /'input\.wordIds' passed to 'buildInstancesFromTensors' must have 5 entries/,
        ),
      }),
    );
    expect(() =>
      buildInstancesFromTensors(
        { ...pos, wordIds: [1, 2, 3, 4, 5] as unknown as Int32Array },
        { task: 'upos' },
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/Int32Array/),
      }),
    );
  });

  it('buildInstancesFromTensors(input) throws XLING_INVALID_ARGUMENT for label ids out of range or of the wrong type', () => {
    expect(() =>
      buildInstancesFromTensors({ ...pos, labelIds: Int32Array.of(0, 1, 17, 0, 0) }, { task: 'upos' }),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'input\.labelIds'.*must hold ids in \[-1, 17\).*entry 2 is 17/),
      }),
    );
    expect(() =>
      buildInstancesFromTensors({ ...pos, labelIds: [0, 1, 1.5, 0, 0] }, { task: 'upos' }),
    ).toThrow(/entry 2 is 1\.5/);
    expect(() =>
      buildInstancesFromTensors(
        { ...pos, labelIds: Float32Array.of(0, 1, 2, 3, 4) as never },
        { task: 'upos' },
      ),
    ).toThrow(/'input\.labelIds'.*must be an Int32Array or an array of label ids, but got Float32Array/);
    expect(() =>
      buildInstancesFromTensors({ ...pos, labelNames: 'NOUN' as never }, { task: 'upos' }),
    ).toThrow(/'input\.labelNames'.*must be an array of label names/);
  });

  it('buildInstancesFromTensors(input) throws XLING_INVALID_ARGUMENT for a missing tensor or a bad head and XLING_SHAPE_MISMATCH for bad lengths', () => {
    const { root: _root, ...noRoot } = tensors;
    expect(() => buildInstancesFromTensors({ ...rel, tensors: noRoot }, { task: 'deprel' })).toThrow(
      /'input\.tensors\.root' passed to 'buildInstancesFromTensors' is required/,
    );
    expect(() => buildInstancesFromTensors({ ...pos, labelIds: Int32Array.of(1) }, { task: 'upos' })).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/'input\.labelIds'/),
      }),
    );
    const head = { ...tensors.head, data: Int32Array.from([2, 0, 2, 0, 4]) };
    expect(() =>
      buildInstancesFromTensors({ ...rel, tensors: { ...tensors, head } }, { task: 'deprel' }),
    ).toThrow(
      /'input\.tensors\.head\[4\]' passed to 'buildInstancesFromTensors' must be an integer in \[0, 3\], but got 4/,
    );
    expect(() => buildInstancesFromTensors(null as never, { task: 'upos' })).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});
