import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { affineCopy, measureCases, reflectColumns } from '../__fixtures__/measures-golden.js';
import { angularProcrustes } from './angular-procrustes.js';
import { normalizedBures } from './normalized-bures.js';

const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(message) });
// The reference takes literal matrix square roots (scipy.linalg.sqrtm) of centred Gram matrices,
// which are singular (rank <= min(n - 1, d)): rounding of ~eps in their zero eigenvalues becomes
// ~sqrt(eps) after the root, so the reference itself is only good to ~1e-8 relative.
const SQRTM_TOLERANCE = { rtol: 1e-7, atol: 1e-7 };

describe('normalizedBures(x, y)', () => {
  for (const c of measureCases) {
    if (c.normalizedBures === undefined) continue;
    const expected = c.normalizedBures;
    it(`matches the scipy.linalg.sqrtm definition to 1e-7: ${c.name}`, () => {
      expectClose(normalizedBures(c.x, c.y), expected, SQRTM_TOLERANCE);
    });
  }

  it('normalizedBures(x, y) is cos(angularProcrustes(x, y))', () => {
    const x = randomMatrix(9, 4, 31);
    const y = randomMatrix(9, 7, 32);
    expectClose(normalizedBures(x, y), Math.cos(angularProcrustes(x, y)));
  });

  it('normalizedBures(x, y) is 1 under reflection, scaling and translation, 0 for uncorrelated columns', () => {
    const x = randomMatrix(6, 10, 33);
    expectClose(normalizedBures(x, affineCopy(reflectColumns(x, 34), 2, 1)), 1);
    expectClose(normalizedBures([[1], [-1], [0], [0]], [[0], [0], [1], [-1]]), 0);
  });

  it('normalizedBures(x, y) throws for one row, Infinity, row mismatch and a single repeated point', () => {
    expect(() => normalizedBures([[1]], [[1]])).toThrow(invalid(/at least 2 rows/));
    expect(() => normalizedBures([[1], [2]], [[1], [Infinity]])).toThrow(invalid(/'y'/));
    expect(() => normalizedBures([[1], [2]], [[1], [2], [3]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => normalizedBures([[4], [4]], [[1], [2]])).toThrow(invalid(/'x'.*same point/));
  });
});
