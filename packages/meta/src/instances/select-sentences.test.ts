import { describe, expect, it } from 'vitest';
import { selectSentences } from './select-sentences.js';

const set = {
  x: { rows: 5, cols: 1, data: Float64Array.from([0, 1, 2, 3, 4]) },
  labels: Int32Array.from([0, 1, 1, 2, 0]),
  sentenceOffsets: Int32Array.from([0, 2, 2, 5]),
  numLabels: 3,
  fitSplit: 'dev' as const,
};

describe('selectSentences', () => {
  it('selectSentences(set, [2, 0]) copies those sentences in that order', () => {
    const out = selectSentences(set, [2, 0]);
    expect(Array.from(out.x.data)).toEqual([2, 3, 4, 0, 1]);
    expect(Array.from(out.labels)).toEqual([1, 2, 0, 0, 1]);
    expect(Array.from(out.sentenceOffsets!)).toEqual([0, 3, 5]);
    expect(out.fitSplit).toBe('dev');
  });

  it('selectSentences(set, [2, 0]) carries the word-form ids of the selected rows', () => {
    const out = selectSentences({ ...set, wordIds: Int32Array.from([10, 11, 12, 13, 14]) }, [2, 0]);
    expect(Array.from(out.wordIds!)).toEqual([12, 13, 14, 10, 11]);
    expect(selectSentences(set, [0]).wordIds).toBeUndefined();
  });

  it('selectSentences(set, []) returns an empty set; an empty sentence stays', () => {
    expect(selectSentences(set, []).x.rows).toBe(0);
    expect(Array.from(selectSentences(set, [1]).sentenceOffsets!)).toEqual([0, 0]);
  });

  it('selectSentences(set, [3]) throws XLING_INVALID_ARGUMENT out of range', () => {
    expect(() => selectSentences(set, [3])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/\[0, 3\), but got 3/),
      }),
    );
  });
});
