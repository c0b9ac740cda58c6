import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/cka.json';
import { linearCka } from './linear-cka.js';

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
