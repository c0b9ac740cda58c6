import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/rsa.json';
import { type RdmMetric, rdm } from './rdm.js';

describe('rdm(x, options)', () => {
  for (const c of golden.cases) {
    for (const [metric, [rx, ry]] of Object.entries(c.rdm)) {
      it(`matches scipy pdist(metric='${metric}') to 1e-9: ${c.name}`, () => {
        expectClose(rdm(c.x, { metric: metric as RdmMetric }), rx as number[], { atol: 1e-14 });
        expectClose(rdm(c.y, { metric: metric as RdmMetric }), ry as number[], { atol: 1e-14 });
      });
    }
  }

  it('adds each distance in index order, as scipy and a one-pair-at-a-time loop do (bit-identical)', () => {
    for (const n of [2, 3, 5, 6, 9]) {
      const m = randomMatrix(n, 37, n);
      const rows = Array.from({ length: n }, (_, i) => Array.from(m.data.subarray(i * 37, i * 37 + 37)));
      for (const metric of ['euclidean', 'sqeuclidean', 'cosine', 'correlation'] as const) {
        const unit = (v: number[]) => {
          if (metric === 'euclidean' || metric === 'sqeuclidean') return v;
          let mean = 0;
          if (metric === 'correlation') {
            for (const x of v) mean += x;
            mean /= v.length;
          }
          const c = v.map((x) => x - mean);
          let s = 0;
          for (const x of c) s += x * x;
          s = Math.sqrt(s);
          return c.map((x) => x / s);
        };
        const expected: number[] = [];
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const [a, b] = [unit(rows[i]), unit(rows[j])];
            let s = 0;
            const angular = metric === 'cosine' || metric === 'correlation';
            for (let t = 0; t < 37; t++) s += angular ? a[t] * b[t] : (a[t] - b[t]) ** 2;
            expected.push(metric === 'euclidean' ? Math.sqrt(s) : angular ? Math.max(0, 1 - s) : s);
          }
        }
        const got = Array.from(rdm(m, { metric }));
        expect(got).toEqual(expected);
      }
    }
  });

  it('rdm(x) gives the known 3-4-5 distances', () => {
    expectClose(
      rdm([
        [0, 0],
        [3, 4],
        [6, 8],
      ]),
      [5, 10, 5],
    );
  });

  it('rdm(x) throws for empty, one row, NaN, zero rows (cosine), constant rows (correlation), bad metric', () => {
    expect(() => rdm([])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => rdm([[1, 2]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 rows/),
      }),
    );
    expect(() =>
      rdm([
        [1, Number.NaN],
        [1, 2],
      ]),
    ).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() =>
      rdm(
        [
          [0, 0],
          [1, 2],
        ],
        { metric: 'cosine' },
      ),
    ).toThrow(expect.objectContaining({ message: expect.stringMatching(/zero row.*row 0/) }));
    expect(() =>
      rdm(
        [
          [1, 2],
          [3, 3],
        ],
        { metric: 'correlation' },
      ),
    ).toThrow(expect.objectContaining({ message: expect.stringMatching(/constant row.*row 1/) }));
    expect(() => rdm([[1], [2]], { metric: 'manhattan' as RdmMetric })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/options.metric/) }),
    );
  });
});
