import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/svcca-pwcca.json';
import { svcca } from './svcca.js';

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
