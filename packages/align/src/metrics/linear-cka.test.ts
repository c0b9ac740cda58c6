import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../__fixtures__/cka.json';
import { linearCka } from './linear-cka.js';
import { parallelRunCount } from '../linalg/parallel-gemm.js';
import { terminateAlignWorkers } from '../linalg/terminate-align-workers.js';

describe('linearCka(x, y)', () => {
  for (const c of golden.cases) {
    it(`matches Kornblith et al.'s feature_space_linear_cka to 1e-9: ${c.name}`, () => {
      expectClose(linearCka(c.x, c.y), c.linear);
      expectClose(linearCka(c.x, c.y), c.linearGram);
      expectClose(linearCka(c.x, c.y, { debiased: true }), c.linearDebiased);
      expectClose(linearCka(c.x, c.y, { debiased: true }), c.linearDebiasedGram);
    });
  }

  it('linearCka(x, y) is 1 for a rotated, scaled copy and takes the Gram route when n < d', () => {
    const x = randomMatrix(6, 50, 1);
    const y = { ...x, data: x.data.map((v) => 3 * v) };
    expectClose(linearCka(x, y), 1, { rtol: 1e-12 });
  });

  it('linearCka(x, y) throws for empty, one row, NaN, shape mismatch, constant input; debiased needs 4 rows', () => {
    expect(() => linearCka([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => linearCka([[1]], [[1]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 rows/),
      }),
    );
    expect(() => linearCka([[1], [Number.NaN]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => linearCka([[1], [2]], [[1], [2], [3]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => linearCka([[1], [1]], [[1], [2]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'x'.*zero variance/),
      }),
    );
    expect(() => linearCka([[1], [2], [3]], [[1], [2], [4]], { debiased: true })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 4 rows/),
      }),
    );
  });
});

describe('linearCka(x, y, { threads })', () => {
  afterAll(() => terminateAlignWorkers());
  // n x d large enough (> 8M multiply-adds per product) to be split over worker threads.
  const x = randomMatrix(2100, 72, 11);
  const noise = randomMatrix(2100, 72, 12);
  const y = { ...x, data: x.data.map((v, k) => 0.8 * v + 0.6 * noise.data[k]) };

  it('linearCka(x, y, { threads: 2 }) agrees with threads: 1 to 1e-12 and runs in worker threads', () => {
    const single = linearCka(x, y);
    const before = parallelRunCount();
    const parallel = linearCka(x, y, { threads: 2 });
    expect(parallelRunCount()).toBeGreaterThan(before);
    expectClose(parallel, single, { rtol: 1e-12, atol: 1e-12 });
    expectClose(linearCka(x, y, { debiased: true, threads: 2 }), linearCka(x, y, { debiased: true }), {
      rtol: 1e-12,
      atol: 1e-12,
    });
  });

  it('linearCka(x, y, { threads: 0 | 1.5 }) throws XLING_INVALID_ARGUMENT naming options.threads', () => {
    for (const threads of [0, 1.5]) {
      expect(() => linearCka(x, y, { threads })).toThrow(
        expect.objectContaining({
          code: 'XLING_INVALID_ARGUMENT',
          message: expect.stringMatching(/'options\.threads' passed to 'linearCka' must be an integer >= 1/),
        }),
      );
    }
  });
});
