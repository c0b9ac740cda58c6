import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { accuracySpread } from './accuracy-spread.js';
import { golden, TOLERANCE } from './golden.js';

describe('accuracySpread', () => {
  it('accuracySpread(scores, { ddof }) matches numpy std/ptp/percentile to 1e-12', () => {
    for (const c of golden.spread) {
      const r = accuracySpread(c.scores, { ddof: c.ddof });
      for (const key of ['mean', 'std', 'min', 'max', 'range', 'q1', 'median', 'q3', 'iqr'] as const) {
        expectClose(r[key], c[key] as number, { ...TOLERANCE, label: key });
      }
      expect(r.n).toBe(Object.keys(c.scores).length);
      expect([r.lowest, r.highest]).toEqual([c.lowest, c.highest]);
    }
  });

  it('accuracySpread(array) works without language names', () => {
    const r = accuracySpread([0.9, 0.8, 0.6]);
    expect(r.lowest).toBeUndefined();
    expectClose(r.range, 0.3, { atol: 1e-15 });
  });

  it('accuracySpread({}) and NaN scores throw XLING_INVALID_ARGUMENT naming the language', () => {
    expect(() => accuracySpread({})).toThrow(/must not be empty/);
    expect(() => accuracySpread({ de: 0.5, wo: Number.NaN })).toThrow(
      /Argument 'scores.wo'.*finite number, but got NaN/,
    );
    expect(() => accuracySpread([0.5, Number.POSITIVE_INFINITY])).toThrow(/'scores\[1\]'/);
    expect(() => accuracySpread({ de: 0.5 }, { ddof: 1 })).toThrow(/more than ddof = 1/);
    expect(() => accuracySpread({ de: 0.5 }, { ddof: 2 as never })).toThrow(/options.ddof/);
  });
});
