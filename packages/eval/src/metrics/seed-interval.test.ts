import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { golden } from './golden.js';
import { seedInterval } from './seed-interval.js';
import { studentTQuantile } from './student-t.js';

describe('seedInterval', () => {
  it('seedInterval(values, { alpha }) matches the t interval with an mpmath quantile to 1e-12', () => {
    for (const c of golden.seeds) {
      expectClose(studentTQuantile(1 - c.alpha / 2, c.values.length - 1), c.quantile, {
        rtol: 1e-12,
        atol: 1e-12,
      });
      const r = seedInterval(c.values, { alpha: c.alpha });
      expectClose([r.mean, r.lower, r.upper, r.std], [c.mean, c.lower, c.upper, c.std], {
        rtol: 0,
        atol: 1e-12,
      });
      expect(r.seeds).toBe(c.values.length);
      expect(r.values).toEqual(c.values);
    }
  });

  it('seedInterval([v]) with one seed is the point itself', () => {
    expect(seedInterval([0.7])).toEqual({
      mean: 0.7,
      lower: 0.7,
      upper: 0.7,
      std: 0,
      seeds: 1,
      values: [0.7],
    });
  });

  it('seedInterval(values) clamps to [0, 1] unless { clamp: false }', () => {
    expect(seedInterval([0.99, 1, 0.9]).upper).toBe(1);
    expect(seedInterval([0.99, 1, 0.9], { clamp: false }).upper).toBeGreaterThan(1);
  });

  it('seedInterval([]) and NaN throw XLING_INVALID_ARGUMENT', () => {
    expect(() => seedInterval([])).toThrow(/Argument 'values' passed to 'seedInterval' must not be empty/);
    expect(() => seedInterval([0.5, Number.NaN])).toThrow(/'values\[1\]'.*but got NaN/);
    expect(() => seedInterval([0.5], { alpha: 2 })).toThrow(/options.alpha/);
  });
});
