import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { linearCka } from '../metrics/linear-cka.js';
import { bootstrapCi, quantileSorted } from './bootstrap-ci.js';

describe('bootstrapCi(x, y, statistic, options)', () => {
  it('bootstrapCi(x, y, linearCka) brackets the observed value and repeats for a seed', () => {
    const x = randomMatrix(30, 4, 1);
    const y = { ...x, data: x.data.map((v, k) => v + 0.5 * Math.cos(k)) };
    const a = bootstrapCi(x, y, (p, q) => linearCka(p, q), { resamples: 200, seed: 5 });
    const b = bootstrapCi(x, y, (p, q) => linearCka(p, q), { resamples: 200, seed: 5 });
    expect(a.low).toBeLessThanOrEqual(a.statistic);
    expect(a.high).toBeGreaterThanOrEqual(a.statistic);
    expect(a.standardError).toBeGreaterThan(0);
    expect(Array.from(a.distribution)).toEqual(Array.from(b.distribution));
  });

  it('bootstrapCi(...) of the row mean of y has the known percentile bounds of its distribution', () => {
    const r = bootstrapCi(
      [[0], [1], [2], [3]],
      [[0], [1], [2], [3]],
      (_a, b) => b.data.reduce((s, v) => s + v, 0) / b.rows,
      {
        resamples: 400,
        confidence: 0.9,
      },
    );
    const sorted = Float64Array.from(r.distribution).sort();
    expectClose(r.low, quantileSorted(sorted, 0.05));
    expectClose(r.high, quantileSorted(sorted, 0.95));
    expectClose(r.statistic, 1.5);
  });

  it('quantileSorted(sorted, q) interpolates linearly like numpy', () => {
    expectClose(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.5), 2.5);
    expectClose(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.1), 1.3);
  });

  it('bootstrapCi(...) throws for empty, one row, NaN, shape mismatch and bad options', () => {
    const s = () => 0;
    expect(() => bootstrapCi([], [], s)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => bootstrapCi([[1]], [[1]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => bootstrapCi([[1], [Number.NaN]], [[1], [2]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => bootstrapCi([[1], [2]], [[1]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => bootstrapCi([[1], [2]], [[1], [2]], s, { confidence: 1 })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/options.confidence/) }),
    );
  });
});
