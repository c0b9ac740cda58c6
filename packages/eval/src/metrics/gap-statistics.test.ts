import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { gapStatistics } from './gap-statistics.js';
import { golden, TOLERANCE } from './golden.js';

describe('gapStatistics', () => {
  it('gapStatistics(scores, { groups, baseline }) matches numpy paired resamples to 1e-12', () => {
    for (const c of golden.gap) {
      const [base, method] = gapStatistics(
        { baseline: c.baseline, aligned: c.method },
        {
          groups: { low: c.low, high: c.high },
          baseline: 'baseline',
          seed: c.seed,
          resamples: c.resamples,
          alpha: c.alpha,
        },
      );
      expect(base.method).toBe('baseline');
      expect(base.gapChange).toBeUndefined();
      expect(method.gap?.gap).toBeCloseTo(c.gap, 12);
      const change = method.gapChange!;
      expectClose(change.difference, c.difference, TOLERANCE);
      expectClose(
        [change.lower, change.upper, change.pValue],
        [c.differenceLower, c.differenceUpper, c.pValue],
        TOLERANCE,
      );
    }
  });

  it('gapStatistics(scores) without groups gives only the spread', () => {
    const [r] = gapStatistics({ m: { de: 0.9, wo: 0.5 } });
    expect(r.gap).toBeUndefined();
    expectClose(r.spread.range, 0.4, { atol: 1e-15 });
  });

  it('gapStatistics(scores, { baseline }) throws XLING_INVALID_ARGUMENT for an unknown baseline or missing score', () => {
    expect(() => gapStatistics({ m: { de: 1 } }, { baseline: 'x' })).toThrow(/options.baseline.*got 'x'/);
    expect(() => gapStatistics({})).toThrow(/Argument 'scores'/);
    expect(() =>
      gapStatistics(
        { a: { de: 1, wo: 0 }, b: { de: 1 } },
        { groups: { low: ['wo'], high: ['de'] }, baseline: 'a' },
      ),
    ).toThrow(/scores.wo|scores.b.wo/);
  });
});
