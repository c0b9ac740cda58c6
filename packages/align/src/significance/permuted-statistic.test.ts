import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { type RsaOptions, rsa } from '../metrics/rsa.js';
import { procrustesDisparity } from '../procrustes/procrustes-disparity.js';
import { permutationTest } from './permutation-test.js';
import { randomLabelControl } from './random-label-control.js';

describe("permutationTest(x, y, 'procrustes' | 'rsa') fast paths", () => {
  for (const [n, d] of [
    [9, 40],
    [30, 5],
  ]) {
    it(`'procrustes' gives the same null distribution as procrustesDisparity to 1e-12 (${n} x ${d})`, () => {
      const x = randomMatrix(n, d, 1);
      const y = { ...x, data: x.data.map((v, k) => v + 0.3 * Math.sin(k * 1.7)) };
      const fast = permutationTest(x, y, 'procrustes', { permutations: 60, seed: 4 });
      const slow = permutationTest(x, y, (a, b) => procrustesDisparity(a, b), {
        permutations: 60,
        seed: 4,
        alternative: 'less',
      });
      expectClose(fast.statistic, slow.statistic, { rtol: 1e-12, atol: 1e-14 });
      expectClose(fast.nullDistribution, slow.nullDistribution, { rtol: 1e-12, atol: 1e-14 });
      expect(fast.pValue).toBe(slow.pValue);
      const control = randomLabelControl(x, y, 'procrustes', { repeats: 20, seed: 2 });
      const controlSlow = randomLabelControl(x, y, (a, b) => procrustesDisparity(a, b), {
        repeats: 20,
        seed: 2,
      });
      expectClose(control.values, controlSlow.values, { rtol: 1e-12, atol: 1e-14 });
    });
  }

  for (const options of [
    {},
    { metric: 'cosine', method: 'pearson' },
    { metric: 'correlation', method: 'kendall' },
    { metric: 'sqeuclidean', method: 'spearman' },
  ] as RsaOptions[]) {
    it(`'rsa' with ${JSON.stringify(options)} gives the same null distribution as rsa(x, y, options)`, () => {
      const x = randomMatrix(12, 6, 7);
      const y = randomMatrix(12, 4, 8);
      const fast = permutationTest(x, y, 'rsa', { permutations: 40, seed: 3, rsa: options });
      const slow = permutationTest(x, y, (a, b) => rsa(a, b, options), { permutations: 40, seed: 3 });
      expectClose(fast.statistic, slow.statistic, { rtol: 1e-12, atol: 1e-14 });
      expectClose(fast.nullDistribution, slow.nullDistribution, { rtol: 1e-12, atol: 1e-14 });
    });
  }

  it('throws for a width mismatch, too few rows, bad rsa options and unknown statistics', () => {
    const x = randomMatrix(5, 3, 1);
    expect(() => permutationTest(x, randomMatrix(5, 4, 2), 'procrustes')).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'y'.*3 columns/),
      }),
    );
    expect(() => permutationTest([[1], [2]], [[1], [3]], 'rsa')).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/at least 3 rows/) }),
    );
    expect(() => permutationTest(x, x, 'rsa', { rsa: { method: 'tau' as 'kendall' } })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/options.rsa.method/) }),
    );
    expect(() => permutationTest(x, x, 'cka' as 'rsa')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/'statistic'.*'procrustes' or 'rsa', but got 'cka'/),
      }),
    );
    expect(() => randomLabelControl(x, x, 'cka' as 'rsa')).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});
