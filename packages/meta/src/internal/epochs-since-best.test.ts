import { describe, expect, it } from 'vitest';
import { epochsSinceBest } from './meta-trainer.js';

const history = (accuracies: number[]) =>
  accuracies.map((validationAccuracy, i) => ({
    epoch: i + 1,
    loss: 1,
    validationAccuracy,
  }));

describe('epochsSinceBest', () => {
  it('epochsSinceBest(history) counts epochs since the last strict gain', () => {
    expect(epochsSinceBest(history([0.5, 0.6, 0.6, 0.59]))).toBe(2);
    expect(epochsSinceBest(history([0.5, 0.6, 0.61]))).toBe(0);
  });

  it('epochsSinceBest(history, tolerance) ignores gains within the tolerance (a creeping curve has plateaued)', () => {
    const creeping = history([0.5, 0.6, 0.6005, 0.601, 0.6015, 0.602]);
    expect(epochsSinceBest(creeping, 0)).toBe(0);
    expect(epochsSinceBest(creeping, 0.002)).toBe(4);
    // A real gain resets the counter and becomes the new level.
    expect(epochsSinceBest(history([0.5, 0.6, 0.601, 0.61, 0.611]), 0.002)).toBe(1);
  });

  it('epochsSinceBest(history) is 0 without validation languages (NaN accuracies)', () => {
    expect(epochsSinceBest(history([Number.NaN, Number.NaN]), 0.002)).toBe(0);
  });
});
