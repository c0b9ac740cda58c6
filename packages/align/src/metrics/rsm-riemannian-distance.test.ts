import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { affineCopy, measureCases, reflectColumns } from '../__fixtures__/measures-golden.js';
import { rsmRiemannianDistance } from './rsm-riemannian-distance.js';

const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(message) });

describe('rsmRiemannianDistance(x, y)', () => {
  for (const c of measureCases) {
    const expected = c.rsmRiemannianDistance;
    if (expected === undefined) continue;
    if (expected === null) {
      it(`throws where an RSM is singular (more rows than columns): ${c.name}`, () => {
        expect(() => rsmRiemannianDistance(c.x, c.y)).toThrow(
          invalid(/rows but only \d+ columns.*not positive definite/),
        );
      });
      continue;
    }
    // Cholesky + singular values here, LAPACK's generalised eigh there: both backward stable on
    // these well-conditioned RSMs, so 1e-9 holds.
    it(`matches scipy.linalg.eigh(Sy, Sx) to 1e-9: ${c.name}`, () => {
      expectClose(rsmRiemannianDistance(c.x, c.y), expected);
    });
  }

  it('rsmRiemannianDistance(x, y) is 0 under reflection and sqrt(n) |2 ln s| under scaling by s', () => {
    const x = randomMatrix(5, 9, 51);
    expectClose(rsmRiemannianDistance(x, reflectColumns(x, 52)), 0, { atol: 1e-12 });
    expectClose(rsmRiemannianDistance(x, affineCopy(x, 3, 0)), Math.sqrt(5) * 2 * Math.log(3));
  });

  it('rsmRiemannianDistance(x, y) is symmetric', () => {
    const x = randomMatrix(4, 6, 53);
    const y = randomMatrix(4, 5, 54);
    expectClose(rsmRiemannianDistance(x, y), rsmRiemannianDistance(y, x));
  });

  it('rsmRiemannianDistance(x, y) throws XLING_INVALID_ARGUMENT naming the sizes when an RSM is not positive definite', () => {
    expect(() => rsmRiemannianDistance(randomMatrix(6, 4, 1), randomMatrix(6, 8, 2))).toThrow(
      invalid(/'x'.*6 rows but only 4 columns.*6 x 6 RSM has rank <= 4/),
    );
    // Rank 2 with 4 rows and 6 columns: linearly dependent rows.
    const rank2 = [
      [1, 0, 1, 0, 1, 0],
      [0, 1, 0, 1, 0, 1],
      [1, 1, 1, 1, 1, 1],
      [2, -1, 2, -1, 2, -1],
    ];
    expect(() => rsmRiemannianDistance(randomMatrix(4, 6, 3), rank2)).toThrow(
      invalid(/'y'.*shape 4 x 6.*linearly dependent rows.*4 x 4 RSM is not positive definite/),
    );
  });

  it('rsmRiemannianDistance(x, y) throws for one row, NaN and row mismatch', () => {
    expect(() => rsmRiemannianDistance([[1, 2]], [[1, 2]])).toThrow(invalid(/at least 2 rows/));
    expect(() =>
      rsmRiemannianDistance(
        [
          [1, 2],
          [3, Number.NaN],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrow(invalid(/'x'/));
    expect(() =>
      rsmRiemannianDistance(
        [
          [1, 2],
          [3, 4],
        ],
        [[1, 2]],
      ),
    ).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
  });
});
