import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../__fixtures__/svcca-pwcca.json';
import { pwcca } from './pwcca.js';
import { parallelRunCount } from '../linalg/parallel-gemm.js';
import { terminateAlignWorkers } from '../linalg/terminate-align-workers.js';

describe('pwcca(x, y)', () => {
  for (const c of golden.cases.filter((k) => k.kind === 'pwcca')) {
    it(`matches the numpy reference to 1e-9: ${c.name}`, () => {
      const r = pwcca(c.x, c.y);
      expectClose(r.correlations, c.correlations);
      expectClose(r.weights, c.weights as number[]);
      expectClose(r.similarity, c.similarity);
    });
  }

  it('pwcca(x, x) is 1', () => {
    const x = randomMatrix(15, 3, 9);
    expectClose(pwcca(x, x).similarity, 1, { rtol: 1e-12 });
  });

  it('pwcca(x, y) throws for empty, one row, NaN and shape mismatch', () => {
    expect(() => pwcca([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => pwcca([[1]], [[2]])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => pwcca([[1], [Number.NaN]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => pwcca([[1], [2]], [[1]])).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
  });
});

describe('pwcca(x, y, { threads })', () => {
  afterAll(() => terminateAlignWorkers());
  // n x d large enough (> 8M multiply-adds per product) to be split over worker threads.
  const x = randomMatrix(2100, 72, 11);
  const noise = randomMatrix(2100, 72, 12);
  const y = { ...x, data: x.data.map((v, k) => 0.8 * v + 0.6 * noise.data[k]) };

  it('pwcca(x, y, { threads: 2 }) agrees with threads: 1 to 1e-12 and runs in worker threads', () => {
    const single = pwcca(x, y);
    const before = parallelRunCount();
    const parallel = pwcca(x, y, { threads: 2 });
    expect(parallelRunCount()).toBeGreaterThan(before);
    expectClose(parallel.weights, single.weights, { rtol: 1e-12, atol: 1e-12 });
    expectClose(parallel.similarity, single.similarity, { rtol: 1e-12, atol: 1e-12 });
  });

  it('pwcca(x, y, { threads: 0 | 1.5 }) throws XLING_INVALID_ARGUMENT naming options.threads', () => {
    for (const threads of [0, 1.5]) {
      expect(() => pwcca(x, y, { threads })).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(/'options\.threads' passed to 'pwcca' must be an integer >= 1/),
        }),
      );
    }
  });
});
