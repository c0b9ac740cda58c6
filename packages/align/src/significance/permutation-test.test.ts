import { randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { rsa } from '../metrics/rsa.js';
import { procrustesDisparity } from '../procrustes/procrustes-disparity.js';
import { permutationTest } from './permutation-test.js';

const x = randomMatrix(12, 6, 1);
const related = { ...x, data: x.data.map((v, k) => v + 0.05 * Math.sin(k)) };
const unrelated = randomMatrix(12, 6, 2);

describe('permutationTest(x, y, statistic, options)', () => {
  it('permutationTest(x, y, rsa) gives the smallest possible p-value (1/(P+1)) for related sets', () => {
    const r = permutationTest(x, related, (a, b) => rsa(a, b), { permutations: 199, seed: 3 });
    expect(r.pValue).toBe(1 / 200);
    expect(r.nullDistribution).toHaveLength(199);
    expect(r.statistic).toBeGreaterThan(0.9);
  });

  it("permutationTest(x, y, disparity, { alternative: 'less' }) is significant for related, not for unrelated sets", () => {
    const stat = (a: typeof x, b: typeof x) => procrustesDisparity(a, b);
    expect(permutationTest(x, related, stat, { permutations: 99, alternative: 'less' }).pValue).toBe(0.01);
    expect(
      permutationTest(x, unrelated, stat, { permutations: 99, alternative: 'less' }).pValue,
    ).toBeGreaterThan(0.05);
  });

  it('permutationTest(...) repeats exactly for a seed; two-sided is capped at 1', () => {
    const a = permutationTest(x, unrelated, (p, q) => rsa(p, q), { permutations: 50, seed: 9 });
    const b = permutationTest(x, unrelated, (p, q) => rsa(p, q), { permutations: 50, seed: 9 });
    expect(Array.from(a.nullDistribution)).toEqual(Array.from(b.nullDistribution));
    const constant = permutationTest(x, unrelated, () => 1, { permutations: 10, alternative: 'two-sided' });
    expect(constant.pValue).toBe(1);
  });

  it('permutationTest(...) throws for empty, one row, NaN, shape mismatch, a bad statistic and bad options', () => {
    const s = () => 0;
    expect(() => permutationTest([], [], s)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => permutationTest([[1]], [[1]], s)).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 rows/),
      }),
    );
    expect(() => permutationTest([[1], [Number.NaN]], [[1], [2]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => permutationTest([[1], [2]], [[1]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => permutationTest([[1], [2]], [[1], [2]], () => Number.NaN)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/'statistic'.*finite/) }),
    );
    expect(() => permutationTest([[1], [2]], [[1], [2]], 'nope' as never)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/'statistic'.*function/) }),
    );
    expect(() => permutationTest([[1], [2]], [[1], [2]], s, { permutations: 0 })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/options.permutations/) }),
    );
  });
});
