import { describe, expect, it } from 'vitest';
import { allFinite } from './all-finite.js';

describe('allFinite(data)', () => {
  it('is true for finite values, including the largest and subnormal ones, and empty arrays', () => {
    expect(allFinite(new Float64Array(0))).toBe(true);
    expect(
      allFinite(Float64Array.from([Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, 0, -0, 1, 2, 3, 4])),
    ).toBe(true);
  });

  it('is false for NaN or an infinity at any position (the four sums and the tail)', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (let k = 0; k < 9; k++) {
        const data = new Float64Array(9).fill(1);
        data[k] = bad;
        expect(allFinite(data)).toBe(false);
      }
    }
  });
});
