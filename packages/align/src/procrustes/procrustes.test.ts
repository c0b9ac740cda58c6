import { expectClose } from '@xling/core/testing';
import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/procrustes.json';
import { procrustes } from './procrustes.js';

describe('procrustes(x, y)', () => {
  for (const c of golden.cases) {
    it(`matches scipy.spatial.procrustes to 1e-9: ${c.name}`, () => {
      const r = procrustes(c.x, c.y);
      expectClose(r.disparity, c.disparity, { rtol: 1e-9, atol: 1e-12, label: 'disparity' });
      expectClose(r.mtx1, c.mtx1, { rtol: 1e-9, atol: 1e-12, label: 'mtx1' });
      if (c.mtx2Determined) expectClose(r.mtx2, c.mtx2, { rtol: 1e-9, atol: 1e-11, label: 'mtx2' });
    });
  }

  it('procrustes(x, y) gives scipy docstring example disparity ~0 for a rotated, scaled copy', () => {
    const r = procrustes(
      [
        [1, 3],
        [1, 2],
        [1, 1],
        [2, 1],
      ],
      [
        [4, -2],
        [4, -4],
        [4, -6],
        [2, -6],
      ],
    );
    expect(r.disparity).toBeLessThan(1e-15);
  });

  it('procrustes(x, y) accepts ml-matrix and typed-array matrices', () => {
    const c = golden.cases[0];
    const viaMl = procrustes(new MlMatrix(c.x), {
      rows: c.y.length,
      cols: c.y[0].length,
      data: Float64Array.from(c.y.flat()),
    });
    expectClose(viaMl.disparity, c.disparity);
  });

  it('procrustes(x, y) throws XLING_SHAPE_MISMATCH when rows or columns differ', () => {
    expect(() =>
      procrustes(
        [
          [1, 2],
          [3, 4],
          [5, 7],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/'y'.*3 rows like 'x', but got 2/),
      }),
    );
    expect(() =>
      procrustes(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 2, 3],
          [3, 4, 5],
        ],
      ),
    ).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH', message: expect.stringMatching(/2 columns/) }),
    );
  });

  it('procrustes(x, y) throws XLING_INVALID_ARGUMENT for empty input, one row, NaN, Infinity and a single point', () => {
    const cases: [unknown, unknown, RegExp][] = [
      [[], [], /'x'.*at least 2 rows, but got 0/],
      [[[1, 2]], [[1, 2]], /'x'.*at least 2 rows, but got 1/],
      [
        [
          [1, Number.NaN],
          [1, 2],
        ],
        [
          [1, 2],
          [3, 4],
        ],
        /'x'.*finite.*NaN/,
      ],
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 2],
          [3, Number.POSITIVE_INFINITY],
        ],
        /'y'.*finite.*Infinity/,
      ],
      [
        [
          [1, 2],
          [1, 2],
        ],
        [
          [1, 2],
          [3, 4],
        ],
        /'x'.*more than one distinct row/,
      ],
    ];
    for (const [x, y, message] of cases) {
      expect(() => procrustes(x as number[][], y as number[][])).toThrow(
        expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(message) }),
      );
    }
  });
});
