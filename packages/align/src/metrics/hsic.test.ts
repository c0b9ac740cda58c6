import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/cka.json';
import { hsic } from './hsic.js';

describe('hsic(x, y)', () => {
  for (const c of golden.cases) {
    it(`matches the numpy reference (biased and debiased) to 1e-9: ${c.name}`, () => {
      expectClose(hsic(c.x, c.y), c.hsicLinear);
      expectClose(hsic(c.x, c.y, { debiased: true }), c.hsicLinearDebiased);
      expectClose(hsic(c.x, c.y, { kernel: 'rbf', threshold: 0.8, debiased: true }), c.hsicRbfDebiased);
    });
  }

  it('hsic(x, y) throws for empty, one row, NaN, shape mismatch and bad options', () => {
    expect(() => hsic([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => hsic([[1]], [[1]])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => hsic([[Number.POSITIVE_INFINITY], [1]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => hsic([[1], [2]], [[1]])).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
    expect(() => hsic([[1], [2]], [[1], [2]], { kernel: 'poly' as 'rbf' })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options.kernel/),
      }),
    );
  });
});
