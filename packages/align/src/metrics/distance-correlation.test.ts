import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { affineCopy, measureCases, reflectColumns } from '../__fixtures__/measures-golden.js';
import { distanceCorrelation } from './distance-correlation.js';

const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(message) });

describe('distanceCorrelation(x, y)', () => {
  for (const c of measureCases) {
    if (c.distanceCorrelation === undefined) continue;
    const expected = c.distanceCorrelation;
    it(`matches the numpy V-statistic definition to 1e-9: ${c.name}`, () => {
      expectClose(distanceCorrelation(c.x, c.y), expected);
    });
  }

  it('distanceCorrelation(x, y) is 1 under reflection, scaling and translation', () => {
    const x = randomMatrix(11, 3, 41);
    expectClose(distanceCorrelation(x, affineCopy(reflectColumns(x, 42), 5, -2)), 1);
  });

  it('distanceCorrelation(x, y) sees a dependence that correlation misses', () => {
    // y = x^2 on a symmetric grid: Pearson r is 0, distance correlation is not.
    const x = [[-2], [-1], [0], [1], [2]];
    expect(distanceCorrelation(x, [[4], [1], [0], [1], [4]])).toBeGreaterThan(0.4);
  });

  it('distanceCorrelation(x, y) throws for one row, NaN, row mismatch and a single repeated point', () => {
    expect(() => distanceCorrelation([], [])).toThrow(invalid(/at least 2 rows/));
    expect(() => distanceCorrelation([[Number.NaN], [1]], [[1], [2]])).toThrow(invalid(/'x'/));
    expect(() => distanceCorrelation([[1], [2]], [[1], [2], [3]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() =>
      distanceCorrelation(
        [[1], [2]],
        [
          [7, 7],
          [7, 7],
        ],
      ),
    ).toThrow(invalid(/'y'.*same point/));
  });
});
