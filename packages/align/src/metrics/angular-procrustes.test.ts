import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { affineCopy, measureCases, reflectColumns } from '../__fixtures__/measures-golden.js';
import { angularProcrustes } from './angular-procrustes.js';

const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(message) });
// arccos has slope -1/sqrt(1 - c^2): near c = 1 a cosine off by ~eps gives an angle of
// ~sqrt(2 eps) ≈ 2e-8 instead of 0, in numpy and here alike; hence atol for the zero angles.
const NEAR_ZERO_ANGLE = 1e-7;

describe('angularProcrustes(x, y)', () => {
  for (const c of measureCases) {
    if (c.angularProcrustes === undefined) continue;
    const expected = c.angularProcrustes;
    it(`matches numpy's arccos(nuclear norm / Frobenius norms) to 1e-9: ${c.name}`, () => {
      expectClose(angularProcrustes(c.x, c.y), expected, { atol: NEAR_ZERO_ANGLE });
    });
  }

  it('angularProcrustes(x, y) is 0 under reflection, scaling and translation', () => {
    const x = randomMatrix(7, 12, 21);
    expectClose(angularProcrustes(x, affineCopy(reflectColumns(x, 22), 0.1, -5)), 0, {
      atol: NEAR_ZERO_ANGLE,
    });
  });

  it('angularProcrustes(x, y) is π/2 for uncorrelated centred columns', () => {
    expectClose(angularProcrustes([[1], [-1], [0], [0]], [[0], [0], [1], [-1]]), Math.PI / 2);
  });

  it('angularProcrustes(x, y) throws for one row, NaN, row mismatch and a single repeated point', () => {
    expect(() => angularProcrustes([], [])).toThrow(invalid(/at least 2 rows/));
    expect(() => angularProcrustes([[1, 2]], [[1, 2]])).toThrow(invalid(/at least 2 rows/));
    expect(() => angularProcrustes([[1], [Number.NaN]], [[1], [2]])).toThrow(invalid(/'x'/));
    expect(() => angularProcrustes([[1], [2], [3]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() =>
      angularProcrustes(
        [[1], [2]],
        [
          [3, 3],
          [3, 3],
        ],
      ),
    ).toThrow(invalid(/'y'.*same point/));
  });
});
