import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../__fixtures__/cca.json';
import { cca } from './cca.js';
import { parallelRunCount } from '../linalg/parallel-gemm.js';
import { terminateAlignWorkers } from '../linalg/terminate-align-workers.js';

describe('cca(x, y)', () => {
  for (const c of golden.cases) {
    it(`matches the numpy/scipy reference to 1e-9: ${c.name}`, () => {
      const r = cca(c.x, c.y, { ridge: c.ridge as number | [number, number] });
      expectClose(r.correlations, c.correlations, { label: 'correlations' });
      if ('correlationsQr' in c)
        expectClose(r.correlations, c.correlationsQr as number[], {
          label: 'QR (Björck-Golub) correlations',
        });
      if ('sklearnFirst' in c)
        expectClose(r.correlations[0], c.sklearnFirst as number, {
          rtol: 1e-7,
          label: 'sklearn CCA first component',
        });
      // Directions of (near-)zero correlations are not determined: compare the others only.
      const keep = (w: number[][]) => w.map((row) => row.slice(0, c.determined));
      const cut = (m: { rows: number; cols: number; data: Float64Array }) =>
        keep(
          Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols))),
        );
      expect(c.determined).toBeGreaterThan(0);
      expectClose(cut(r.xWeights!), keep(c.xWeights), { atol: 1e-10, label: 'xWeights' });
      expectClose(cut(r.yWeights!), keep(c.yWeights), { atol: 1e-10, label: 'yWeights' });
    });
  }

  it('cca(x, y, { weights: false }) returns the same correlations without weights', () => {
    const c = golden.cases[0];
    const r = cca(c.x, c.y, { weights: false });
    expect(r.xWeights).toBeUndefined();
    expectClose(r.correlations, c.correlations);
  });

  it('cca(x, x) has all canonical correlations 1', () => {
    const x = randomMatrix(20, 3, 4);
    expectClose(cca(x, x).correlations, [1, 1, 1], { rtol: 1e-12 });
  });

  it('cca(x, y) throws for empty, one row, NaN, shape mismatch, zero variance and a singular covariance', () => {
    expect(() => cca([], [])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 rows/),
      }),
    );
    expect(() => cca([[1]], [[1]])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => cca([[1], [Number.NaN]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(/NaN/) }),
    );
    expect(() => cca([[1], [2]], [[1], [2], [3]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() =>
      cca(
        [
          [1, 5],
          [2, 5],
          [3, 5],
        ],
        [[1], [3], [2]],
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'x'.*zero variance in column 1/),
      }),
    );
    expect(() => cca(randomMatrix(4, 6, 1), randomMatrix(4, 2, 2))).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'x'.*singular covariance.*ridge/),
      }),
    );
    expect(() => cca([[1], [2]], [[1], [3]], { ridge: -1 })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options.ridge/),
      }),
    );
  });
});

describe('cca(x, y, { threads })', () => {
  afterAll(() => terminateAlignWorkers());
  // n x d large enough (> 8M multiply-adds per product) to be split over worker threads.
  const x = randomMatrix(2100, 72, 11);
  const noise = randomMatrix(2100, 72, 12);
  const y = { ...x, data: x.data.map((v, k) => 0.8 * v + 0.6 * noise.data[k]) };

  it('cca(x, y, { threads: 2 }) agrees with threads: 1 to 1e-12 and runs in worker threads', () => {
    const single = cca(x, y);
    const before = parallelRunCount();
    const parallel = cca(x, y, { threads: 2 });
    expect(parallelRunCount()).toBeGreaterThan(before);
    expectClose(parallel.correlations, single.correlations, { rtol: 1e-12, atol: 1e-12 });
    expectClose(parallel.xWeights!, single.xWeights!, { rtol: 1e-12, atol: 1e-11 });
    expectClose(parallel.yWeights!, single.yWeights!, { rtol: 1e-12, atol: 1e-11 });
  });

  it('cca(x, y, { threads: 0 | 1.5 }) throws XLING_INVALID_ARGUMENT naming options.threads', () => {
    for (const threads of [0, 1.5]) {
      expect(() => cca(x, y, { threads })).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(/'options\.threads' passed to 'cca' must be an integer >= 1/),
        }),
      );
    }
  });
});
