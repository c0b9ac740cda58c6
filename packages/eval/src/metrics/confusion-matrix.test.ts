import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion-matrix.js';
import { golden } from './golden.js';

describe('confusionMatrix', () => {
  it('confusionMatrix(gold, predicted) equals sklearn confusion_matrix over present labels', () => {
    for (const c of golden.classification) {
      const result = confusionMatrix(c.gold, c.predicted);
      expect(result.labels).toEqual(c.labels);
      expect(result.matrix).toEqual(c.confusion);
      const counted =
        result.matrix.flat().reduce((a, b) => a + b, 0) + result.noPrediction.reduce((a, b) => a + b, 0);
      expect(counted).toBe(c.gold.length);
    }
  });

  it('confusionMatrix(gold, predicted) puts no-prototype words in noPrediction', () => {
    expect(confusionMatrix(['a', 'b', 'b'], ['a', 'a', null])).toEqual({
      labels: ['a', 'b'],
      matrix: [
        [1, 0],
        [1, 0],
      ],
      noPrediction: [0, 1],
      unlisted: 0,
      n: 3,
    });
  });

  it('confusionMatrix(gold, predicted, { labels }) follows the given order and counts unlisted words', () => {
    const result = confusionMatrix([2, 0, 1, 5], [2, 0, 0, 5], { labels: [2, 1, 0] });
    expect(result.matrix).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(result.unlisted).toBe(1);
  });

  it('confusionMatrix([], []) throws XLING_INVALID_ARGUMENT; mismatched lengths throw XLING_SHAPE_MISMATCH', () => {
    expect(() => confusionMatrix([], [])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => confusionMatrix(['a'], [])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => confusionMatrix([Number.POSITIVE_INFINITY], [1])).toThrow(/gold\[0\]/);
  });
});
