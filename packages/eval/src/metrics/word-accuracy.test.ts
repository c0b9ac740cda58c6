import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { golden, TOLERANCE } from './golden.js';
import { wordAccuracy } from './word-accuracy.js';

describe('wordAccuracy', () => {
  it('wordAccuracy(gold, predicted) matches sklearn accuracy_score to 1e-12', () => {
    for (const c of golden.classification)
      expectClose(wordAccuracy(c.gold, c.predicted), c.accuracy, TOLERANCE);
  });

  it('wordAccuracy(gold, predicted) counts null and -1 (no prototype) as wrong', () => {
    expect(wordAccuracy(['NOUN', 'VERB', 'PUNCT'], ['NOUN', null, 'PUNCT'])).toBeCloseTo(2 / 3, 15);
    expect(wordAccuracy([0, 1, 2, 3], [0, -1, 2, -1])).toBe(0.5);
  });

  it('wordAccuracy(gold, predicted, { prototypeLabels }) counts gold labels without a prototype as wrong', () => {
    expect(wordAccuracy(['NOUN', 'X', 'X'], ['NOUN', 'X', 'X'], { prototypeLabels: ['NOUN'] })).toBeCloseTo(
      1 / 3,
      15,
    );
  });

  it('wordAccuracy(gold, predicted) on one word', () => {
    expect(wordAccuracy(['a'], ['a'])).toBe(1);
  });

  it('wordAccuracy([], []) throws XLING_INVALID_ARGUMENT', () => {
    expect(() => wordAccuracy([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => wordAccuracy([], [])).toThrow(/Argument 'gold' passed to 'wordAccuracy' must not be empty/);
  });

  it('wordAccuracy(gold, predicted) throws XLING_SHAPE_MISMATCH when lengths differ', () => {
    expect(() => wordAccuracy(['a', 'b'], ['a'])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => wordAccuracy(['a', 'b'], ['a'])).toThrow(/must have 2 entries like 'gold', but got 1/);
  });

  it('wordAccuracy(gold, predicted) rejects NaN, Infinity and mixed label kinds naming the index', () => {
    expect(() => wordAccuracy([Number.NaN], [0])).toThrow(/Argument 'gold\[0\]'.*but got NaN/);
    expect(() => wordAccuracy([0, 1], [0, Number.POSITIVE_INFINITY])).toThrow(/'predicted\[1\]'/);
    expect(() => wordAccuracy(['a', 1], ['a', 1])).toThrow(/'gold\[1\]'.*must not mix/);
    expect(() => wordAccuracy(['a'], ['a'], { prototypeLabels: 'a' as never })).toThrow(
      /options.prototypeLabels/,
    );
    expect(() => wordAccuracy(['a'], ['a'], { protoLabels: [] } as never)).toThrow(
      /options.protoLabels.*not a known option/,
    );
  });
});
