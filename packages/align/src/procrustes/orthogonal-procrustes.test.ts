import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../__fixtures__/orthogonal-procrustes.json';
import { gemmNN, gemmTN } from '../linalg/gemm.js';
import { orthogonalProcrustes } from './orthogonal-procrustes.js';
import { determinantSign } from './procrustes-core.js';
import { parallelRunCount } from '../linalg/parallel-gemm.js';
import { terminateAlignWorkers } from '../linalg/terminate-align-workers.js';

function expectOrthogonal(r: { rows: number; data: Float64Array }) {
  const d = r.rows;
  const rtr = gemmTN(r.data, r.data, d, d, d);
  const identity = new Float64Array(d * d);
  for (let i = 0; i < d; i++) identity[i * d + i] = 1;
  expectClose(rtr, identity, { rtol: 0, atol: 1e-12, label: 'R^T R' });
}

describe('orthogonalProcrustes(a, b)', () => {
  for (const c of golden.cases) {
    it(`matches scipy.linalg.orthogonal_procrustes to 1e-9: ${c.name}`, () => {
      const r = orthogonalProcrustes(c.a, c.b);
      expectClose(r.scale, c.scale, { label: 'scale' });
      const n = c.a.length;
      const d = c.a[0].length;
      expectClose(gemmNN(Float64Array.from(c.a.flat()), r.rotation.data, n, d, d), c.aRotated.flat(), {
        atol: 1e-11,
        label: 'a R',
      });
      if (c.unique) expectClose(r.rotation, c.rotation, { atol: 1e-11, label: 'R' });
      expectOrthogonal(r.rotation);
    });
    it(`orthogonalProcrustes(a, b, { reflection: 'forbid' }) matches Kabsch: ${c.name}`, () => {
      const r = orthogonalProcrustes(c.a, c.b, { reflection: 'forbid' });
      expectClose(r.scale, c.scaleForbid, { atol: 1e-11, label: 'scale' });
      expect(determinantSign(r.rotation.data, r.rotation.rows)).toBe(1);
      const n = c.a.length;
      const d = c.a[0].length;
      if (c.unique)
        expectClose(
          gemmNN(Float64Array.from(c.a.flat()), r.rotation.data, n, d, d),
          c.aRotatedForbid.flat(),
          { atol: 1e-11 },
        );
      expectOrthogonal(r.rotation);
    });
  }

  it('orthogonalProcrustes(a, b) recovers a known rotation to 1e-12 on the thin path (n < d)', () => {
    const a = randomMatrix(6, 30, 1);
    const q = orthogonalProcrustes(randomMatrix(30, 30, 2), randomMatrix(30, 30, 3)).rotation;
    const b = { rows: 6, cols: 30, data: gemmNN(a.data, q.data, 6, 30, 30) };
    const r = orthogonalProcrustes(a, b);
    expectClose(gemmNN(a.data, r.rotation.data, 6, 30, 30), b.data, { atol: 1e-12 });
    expectOrthogonal(r.rotation);
  });

  it('orthogonalProcrustes(a, b) throws XLING_SHAPE_MISMATCH, and XLING_INVALID_ARGUMENT for empty, NaN and bad options', () => {
    expect(() => orthogonalProcrustes([[1, 2]], [[1, 2, 3]])).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/'b'.*2 columns like 'a'/),
      }),
    );
    expect(() => orthogonalProcrustes([], [])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'a'.*at least 1 row/),
      }),
    );
    expect(() => orthogonalProcrustes([[Number.NaN]], [[1]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => orthogonalProcrustes([[1]], [[1]], { reflection: 'maybe' as 'allow' })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options.reflection/),
      }),
    );
  });

  it('orthogonalProcrustes(a, b) with one row maps it onto the target direction', () => {
    const r = orthogonalProcrustes([[3, 0]], [[0, 2]]);
    expectClose(r.scale, 6);
    expectClose(gemmNN(Float64Array.from([3, 0]), r.rotation.data, 1, 2, 2), [0, 3], { atol: 1e-15 });
  });
});

describe('orthogonalProcrustes(a, b, { threads })', () => {
  afterAll(() => terminateAlignWorkers());
  // n x d large enough (> 8M multiply-adds per product) to be split over worker threads.
  const x = randomMatrix(2100, 72, 11);
  const noise = randomMatrix(2100, 72, 12);
  const y = { ...x, data: x.data.map((v, k) => 0.8 * v + 0.6 * noise.data[k]) };

  it('orthogonalProcrustes(a, b, { threads: 2 }) agrees with threads: 1 to 1e-12 and runs in worker threads', () => {
    const single = orthogonalProcrustes(x, y);
    const before = parallelRunCount();
    const parallel = orthogonalProcrustes(x, y, { threads: 2 });
    expect(parallelRunCount()).toBeGreaterThan(before);
    expectClose(parallel.rotation, single.rotation, { rtol: 1e-12, atol: 1e-12 });
    expectClose(parallel.scale, single.scale, { rtol: 1e-12, atol: 1e-12 });
  });

  it('orthogonalProcrustes(a, b, { threads: 0 | 1.5 }) throws XLING_INVALID_ARGUMENT naming options.threads', () => {
    for (const threads of [0, 1.5]) {
      expect(() => orthogonalProcrustes(x, y, { threads })).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(
            /'options\.threads' passed to 'orthogonalProcrustes' must be an integer >= 1/,
          ),
        }),
      );
    }
  });
});
