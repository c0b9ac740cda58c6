import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/svcca-pwcca.json';
import { pwcca } from './pwcca.js';

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
