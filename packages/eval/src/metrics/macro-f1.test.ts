import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { golden, TOLERANCE } from './golden.js';
import { macroF1 } from './macro-f1.js';

describe('macroF1', () => {
  it('macroF1(gold, predicted) matches sklearn f1_score(average="macro") over present labels to 1e-12', () => {
    for (const c of golden.classification) expectClose(macroF1(c.gold, c.predicted), c.macroF1, TOLERANCE);
  });

  it('macroF1(gold, predicted, { labels, zeroDivision }) matches sklearn with explicit labels and zero_division 0 and 1', () => {
    for (const c of golden.classification) {
      expectClose(macroF1(c.gold, c.predicted, { labels: c.explicitLabels }), c.macroF1Explicit0, TOLERANCE);
      expectClose(
        macroF1(c.gold, c.predicted, { labels: c.explicitLabels, zeroDivision: 1 }),
        c.macroF1Explicit1,
        TOLERANCE,
      );
    }
  });

  it('macroF1(gold, predicted) scores a no-prototype prediction as a miss for the gold label only', () => {
    // a: P 1, R 1/2; b: P 1/2, R 1; c: never predicted, R 0 -> F1 (2/3 + 2/3 + 0) / 3.
    expect(macroF1(['a', 'a', 'b', 'c'], ['a', 'b', 'b', null])).toBeCloseTo(4 / 9, 15);
    expect(macroF1([1, 1], [1, -1])).toBeCloseTo(2 / 3, 15);
  });

  it('macroF1([], []) throws XLING_INVALID_ARGUMENT and bad options are named', () => {
    expect(() => macroF1([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => macroF1(['a'], ['a'], { zeroDivision: 2 as never })).toThrow(/options.zeroDivision/);
    expect(() => macroF1(['a'], ['a'], { labels: [] })).toThrow(/options.labels.*non-empty/);
    expect(() => macroF1(['a'], ['a', 'b'])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => macroF1([Number.NaN], [1])).toThrow(/'gold\[0\]'/);
  });
});
