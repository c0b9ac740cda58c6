import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/cka.json';
import { rbfCka } from './rbf-cka.js';

describe('rbfCka(x, y)', () => {
  for (const c of golden.cases) {
    it(`matches Kornblith et al.'s gram_rbf + cka to 1e-9: ${c.name}`, () => {
      expectClose(rbfCka(c.x, c.y), c.rbf);
      expectClose(rbfCka(c.x, c.y, { threshold: 0.5 }), c.rbfHalf);
      expectClose(rbfCka(c.x, c.y, { debiased: true }), c.rbfDebiased);
    });
  }

  it('rbfCka(x, y) throws for empty, one row, NaN, shape mismatch, identical rows and a bad threshold', () => {
    expect(() => rbfCka([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => rbfCka([[1]], [[1]])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => rbfCka([[1], [Number.NaN]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => rbfCka([[1], [2]], [[1]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => rbfCka([[1], [1], [1]], [[1], [2], [3]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'x'.*median squared distance/),
      }),
    );
    expect(() => rbfCka([[1], [2]], [[1], [3]], { threshold: 0 })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options.threshold/),
      }),
    );
  });
});
