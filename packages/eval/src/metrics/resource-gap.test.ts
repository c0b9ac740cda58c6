import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { golden, TOLERANCE } from './golden.js';
import { resourceGap } from './resource-gap.js';

describe('resourceGap', () => {
  it('resourceGap(scores, groups, options) matches numpy on the same stratified resamples to 1e-12', () => {
    for (const c of golden.gap) {
      const r = resourceGap(
        c.method,
        { low: c.low, high: c.high },
        { seed: c.seed, resamples: c.resamples, alpha: c.alpha },
      );
      expectClose([r.lowMean, r.highMean, r.gap], [c.lowMean, c.highMean, c.gap], TOLERANCE);
      expectClose([r.lower, r.upper], [c.lower, c.upper], TOLERANCE);
      expect(r.low).toEqual(c.low);
    }
  });

  it('resourceGap(scores, groups) is positive when low-resource languages lag behind', () => {
    const r = resourceGap(
      { de: 0.9, fr: 0.88, wo: 0.6, yo: 0.55 },
      { low: ['wo', 'yo'], high: ['de', 'fr'] },
    );
    expectClose(r.gap, 0.315, { atol: 1e-12 });
    expect(r.lower).toBeLessThanOrEqual(r.gap);
    expect(r.upper).toBeGreaterThanOrEqual(r.gap);
  });

  it('resourceGap(scores, groups) throws naming a missing language, an empty or overlapping group', () => {
    const scores = { de: 0.9, wo: 0.5 };
    expect(() => resourceGap(scores, { low: ['yo'], high: ['de'] })).toThrow(
      /Argument 'scores.yo'.*has no score/,
    );
    expect(() => resourceGap(scores, { low: [], high: ['de'] })).toThrow(/groups.low/);
    expect(() => resourceGap(scores, { low: ['de'], high: ['de'] })).toThrow(/'de' appears twice/);
    expect(() => resourceGap({ de: Number.NaN, wo: 1 }, { low: ['wo'], high: ['de'] })).toThrow(/scores.de/);
    expect(() => resourceGap(scores, { low: ['wo'], high: ['de'] }, { alpha: 0 })).toThrow(/options.alpha/);
  });
});
