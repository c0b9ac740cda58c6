import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/correlations.json';
import { kendallTau } from './kendall-tau.js';
import { pearson } from './pearson.js';
import { spearman } from './spearman.js';

describe('spearman(a, b), pearson(a, b), kendallTau(a, b)', () => {
  for (const c of golden.cases) {
    it(`match scipy.stats spearmanr / pearsonr / kendalltau(tau-b) to 1e-9: ${c.name}`, () => {
      expectClose(spearman(c.a, c.b), c.spearman);
      expectClose(pearson(c.a, c.b), c.pearson);
      expectClose(kendallTau(c.a, c.b), c.kendall);
    });
  }

  it('kendallTau(a, b) agrees with the O(n^2) definition on random data with ties', () => {
    const a = Array.from({ length: 60 }, (_, i) => (i * 7919) % 11);
    const b = Array.from({ length: 60 }, (_, i) => (i * 104729) % 13);
    let s = 0;
    let ta = 0;
    let tb = 0;
    for (let i = 0; i < 60; i++) {
      for (let j = i + 1; j < 60; j++) {
        const x = Math.sign(a[i] - a[j]);
        const y = Math.sign(b[i] - b[j]);
        s += x * y;
        ta += x * x;
        tb += y * y;
      }
    }
    expectClose(kendallTau(a, b), s / Math.sqrt(ta * tb), { rtol: 1e-12 });
  });

  for (const [name, f] of [
    ['spearman', spearman],
    ['pearson', pearson],
    ['kendallTau', kendallTau],
  ] as const) {
    it(`${name}(a, b) throws for empty, one entry, NaN, length mismatch and constant input`, () => {
      expect(() => f([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
      expect(() => f([1], [1])).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(/at least 2 entries/),
        }),
      );
      expect(() => f([1, Number.NaN], [1, 2])).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(/'a'.*NaN/),
        }),
      );
      expect(() => f([1, 2], [1, 2, 3])).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
      expect(() => f([1, 1, 1], [1, 2, 3])).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(/constant/),
        }),
      );
    });
  }
});
