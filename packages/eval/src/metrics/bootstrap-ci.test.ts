import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { bootstrapCi } from './bootstrap-ci.js';
import { golden, TOLERANCE } from './golden.js';

describe('bootstrapCi', () => {
  it('bootstrapCi(sentences, options) matches numpy/sklearn on the same resamples to 1e-12', () => {
    for (const c of golden.bootstrap) {
      const result = bootstrapCi(c.sentences, {
        metric: c.metric,
        seed: c.seed,
        resamples: c.resamples,
        alpha: c.alpha,
      });
      expectClose(result.estimate, c.estimate, TOLERANCE);
      expectClose([result.lower, result.upper], [c.lower, c.upper], TOLERANCE);
      expectClose(result.standardError, c.standardError, { rtol: 1e-9, atol: 1e-12 });
      expect(result.units).toBe(c.sentences.length);
    }
  });

  it('bootstrapCi(sentences, { seed }) repeats exactly and changes with the seed', () => {
    const c = golden.bootstrap[0];
    const a = bootstrapCi(c.sentences, { seed: 4, resamples: 100 });
    expect(bootstrapCi(c.sentences, { seed: 4, resamples: 100 })).toEqual(a);
    expect(bootstrapCi(c.sentences, { seed: 5, resamples: 100 })).not.toEqual(a);
  });

  it('bootstrapCi(sentences, { metric: fn }) accepts a custom statistic', () => {
    const sentences = [
      { gold: ['a'], predicted: ['a'] },
      { gold: ['b', 'b'], predicted: ['b', null] },
    ];
    const result = bootstrapCi(sentences, { metric: (s) => s.length, resamples: 10 });
    expect(result).toMatchObject({ estimate: 2, lower: 2, upper: 2 });
  });

  it('bootstrapCi(one sentence) gives a zero-width interval', () => {
    const result = bootstrapCi([{ gold: ['a', 'b'], predicted: ['a', 'a'] }], { resamples: 20 });
    expect(result).toMatchObject({ estimate: 0.5, lower: 0.5, upper: 0.5 });
  });

  it('bootstrapCi([]) and bad options throw XLING_INVALID_ARGUMENT naming the key', () => {
    expect(() => bootstrapCi([])).toThrow(/Argument 'sentences' passed to 'bootstrapCi' must not be empty/);
    expect(() => bootstrapCi([{ gold: [], predicted: [] }])).toThrow(/at least one word/);
    const ok = [{ gold: ['a'], predicted: ['a'] }];
    expect(() => bootstrapCi(ok, { alpha: 1 })).toThrow(/options.alpha/);
    expect(() => bootstrapCi(ok, { resamples: 0 })).toThrow(/options.resamples/);
    expect(() => bootstrapCi(ok, { metric: 'f1' as never })).toThrow(/options.metric/);
    expect(() => bootstrapCi([{ gold: ['a', 'b'], predicted: ['a'] }])).toThrow(/sentences\[0\]\.predicted/);
    expect(() => bootstrapCi([{ gold: [Number.NaN], predicted: [0] }])).toThrow(/sentences\[0\]\.gold\[0\]/);
  });
});
