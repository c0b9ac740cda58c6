import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../__fixtures__/svcca-pwcca.json';
import { svcca } from './svcca.js';
import { parallelRunCount } from '../linalg/parallel-gemm.js';
import { terminateAlignWorkers } from '../linalg/terminate-align-workers.js';

describe('svcca(x, y)', () => {
  for (const c of golden.cases.filter((k) => k.kind === 'svcca')) {
    it(`matches the numpy reference (SVD + QR CCA) to 1e-9: ${c.name}`, () => {
      const r = svcca(c.x, c.y, { varianceShare: c.varianceShare });
      expect([r.xComponents, r.yComponents]).toEqual([c.xComponents, c.yComponents]);
      expectClose(r.correlations, c.correlations);
      expectClose(r.similarity, c.similarity);
    });
  }

  it('svcca(x, y) throws for one row, NaN, shape mismatch, constant input and a bad share', () => {
    expect(() => svcca([[1, 2]], [[1, 2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => svcca([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => svcca([[1], [Number.NaN]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => svcca(randomMatrix(5, 2, 1), randomMatrix(4, 2, 2))).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() =>
      svcca(
        [
          [1, 1],
          [1, 1],
          [1, 1],
        ],
        randomMatrix(3, 2, 2),
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'x'.*zero variance/),
      }),
    );
    expect(() => svcca(randomMatrix(5, 2, 1), randomMatrix(5, 2, 2), { varianceShare: 1.5 })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options.varianceShare/),
      }),
    );
  });
});

describe('svcca(x, y, { threads })', () => {
  afterAll(() => terminateAlignWorkers());
  // n x d large enough (> 8M multiply-adds per product) to be split over worker threads.
  const x = randomMatrix(2100, 72, 11);
  const noise = randomMatrix(2100, 72, 12);
  const y = { ...x, data: x.data.map((v, k) => 0.8 * v + 0.6 * noise.data[k]) };

  it('svcca(x, y, { threads: 2 }) agrees with threads: 1 to 1e-12 and runs in worker threads', () => {
    const single = svcca(x, y);
    const before = parallelRunCount();
    const parallel = svcca(x, y, { threads: 2 });
    expect(parallelRunCount()).toBeGreaterThan(before);
    expect(parallel.xComponents).toBe(single.xComponents);
    expectClose(parallel.correlations, single.correlations, { rtol: 1e-12, atol: 1e-12 });
    expectClose(parallel.similarity, single.similarity, { rtol: 1e-12, atol: 1e-12 });
  });

  it('svcca(x, y, { threads: 0 | 1.5 }) throws XLING_INVALID_ARGUMENT naming options.threads', () => {
    for (const threads of [0, 1.5]) {
      expect(() => svcca(x, y, { threads })).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(/'options\.threads' passed to 'svcca' must be an integer >= 1/),
        }),
      );
    }
  });
});
