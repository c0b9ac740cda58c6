import { describeEstimator, expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { gemmNN } from '../linalg/gemm.js';
import { orthogonalProcrustes } from './orthogonal-procrustes.js';
import { OrthogonalProcrustes } from './orthogonal-procrustes-estimator.js';
import { parallelRunCount } from '../linalg/parallel-gemm.js';
import { terminateAlignWorkers } from '../linalg/terminate-align-workers.js';

const source = randomMatrix(20, 5, 11);
const rotation = orthogonalProcrustes(randomMatrix(5, 5, 12), randomMatrix(5, 5, 13)).rotation;
const target = {
  rows: 20,
  cols: 5,
  data: gemmNN(source.data, rotation.data, 20, 5, 5).map((v, k) => 2 * v + (k % 5)),
};

describeEstimator('OrthogonalProcrustes', {
  create: () => new OrthogonalProcrustes({ center: true, scale: true }),
  fitArgs: () => [randomMatrix(12, 4, 1), randomMatrix(12, 4, 2)],
  fittedGetters: ['rotation', 'scale', 'sourceMean', 'targetMean'],
  apply: (e) => e.transform(randomMatrix(3, 4, 5)),
  fromJSON: (json) => OrthogonalProcrustes.fromJSON(json),
});

describe('new OrthogonalProcrustes(options)', () => {
  it('fit(source, target) recovers a known rotation, scale 2 and shift to 1e-12 with center and scale', () => {
    const map = new OrthogonalProcrustes({ center: true, scale: true }).fit(source, target);
    expectClose(map.rotation, rotation, { atol: 1e-12 });
    expectClose(map.scale, 2, { rtol: 1e-12 });
    expectClose(map.transform(source), target, { atol: 1e-12 });
    expectClose(map.score(source, target), 1, { rtol: 1e-12 });
  });

  it('fit(source, target) without centring or scale equals orthogonalProcrustes(source, target)', () => {
    const x = randomMatrix(10, 3, 21);
    const y = randomMatrix(10, 3, 22);
    const map = new OrthogonalProcrustes().fit(x, y);
    expectClose(map.rotation, orthogonalProcrustes(x, y).rotation, { atol: 1e-14 });
    expect(map.scale).toBe(1);
    expect(map.score(x, y)).toBeLessThan(1);
  });

  it("new OrthogonalProcrustes({ reflection: 'forbid' }) fits a proper rotation", () => {
    const x = randomMatrix(10, 3, 31);
    const y = { ...x, data: x.data.map((v, k) => (k % 3 === 0 ? -v : v)) };
    const map = new OrthogonalProcrustes({ reflection: 'forbid' }).fit(x, y);
    const r = map.rotation.data;
    const det =
      r[0] * (r[4] * r[8] - r[5] * r[7]) -
      r[1] * (r[3] * r[8] - r[5] * r[6]) +
      r[2] * (r[3] * r[7] - r[4] * r[6]);
    expectClose(det, 1, { rtol: 1e-12 });
  });

  it('throws XLING_INVALID_ARGUMENT for unknown options and XLING_SHAPE_MISMATCH for a wrong width in transform', () => {
    expect(() => new OrthogonalProcrustes({ scal: true } as never)).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options.scal/),
      }),
    );
    const map = new OrthogonalProcrustes().fit(source, target);
    expect(() => map.transform([[1, 2]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH', message: expect.stringMatching(/5 columns/) }),
    );
    expect(() => map.fit([[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'source'.*at least 2 rows/),
      }),
    );
    expect(() => map.fit([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => map.fit([[1], [Number.NaN]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => OrthogonalProcrustes.fromJSON({ ...map.toJSON(), version: 2 })).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});

describe('new OrthogonalProcrustes({ threads })', () => {
  afterAll(() => terminateAlignWorkers());
  // n x d large enough (> 8M multiply-adds per product) to be split over worker threads.
  const x = randomMatrix(2100, 72, 11);
  const noise = randomMatrix(2100, 72, 12);
  const y = { ...x, data: x.data.map((v, k) => 0.8 * v + 0.6 * noise.data[k]) };

  it('new OrthogonalProcrustes({ threads: 2 }) agrees with threads: 1 to 1e-12 and runs in worker threads', () => {
    const single = new OrthogonalProcrustes({ center: true, scale: true }).fit(x, y);
    const before = parallelRunCount();
    const parallel = new OrthogonalProcrustes({ center: true, scale: true, threads: 2 }).fit(x, y);
    expect(parallelRunCount()).toBeGreaterThan(before);
    expectClose(parallel.rotation, single.rotation, { rtol: 1e-12, atol: 1e-12 });
    expectClose(parallel.scale, single.scale, { rtol: 1e-12, atol: 1e-12 });
    expect(parallel.threads).toBe(2);
    expect(parallel.toJSON().options).toEqual(single.toJSON().options);
  });

  it('new OrthogonalProcrustes({ threads: 0 | 1.5 }) throws XLING_INVALID_ARGUMENT naming options.threads', () => {
    for (const threads of [0, 1.5]) {
      expect(() => new OrthogonalProcrustes({ threads })).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(
            /'options\.threads' passed to 'OrthogonalProcrustes' must be an integer >= 1/,
          ),
        }),
      );
    }
  });
});
