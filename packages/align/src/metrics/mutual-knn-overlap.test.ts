import { randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { affineCopy, measureCases, reflectColumns } from '../__fixtures__/measures-golden.js';
import { mutualKnnOverlap } from './mutual-knn-overlap.js';

const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(message) });

describe('mutualKnnOverlap(x, y, options)', () => {
  for (const c of measureCases) {
    it(`matches the numpy reference for every k and metric: ${c.name}`, () => {
      for (const { k, metric, value } of c.mutualKnnOverlap) {
        expect(mutualKnnOverlap(c.x, c.y, { k, metric })).toBeCloseTo(value, 12);
      }
    });
  }

  it('mutualKnnOverlap(x, y, { k: 1 }) breaks equal distances towards the lower row index', () => {
    // Row 1 of x is equally far from rows 0 and 2 and takes row 0; in y it is nearer to row 2.
    const x = [[0], [1], [2], [10]];
    expect(mutualKnnOverlap(x, [[0], [1.1], [2], [10]], { k: 1 })).toBe(0.75);
    expect(mutualKnnOverlap(x, [[0], [0.9], [2], [10]], { k: 1 })).toBe(1);
  });

  it('mutualKnnOverlap(x, y) is 1 under reflection, scaling and (Euclidean) translation', () => {
    const x = randomMatrix(12, 5, 3);
    expect(mutualKnnOverlap(x, affineCopy(reflectColumns(x, 4), 3, 7), { k: 4 })).toBe(1);
    expect(mutualKnnOverlap(x, affineCopy(reflectColumns(x, 4), 3, 0), { metric: 'cosine' })).toBe(1);
  });

  it('mutualKnnOverlap(x, y) defaults to k = min(3, n - 2)', () => {
    const x = randomMatrix(9, 4, 5);
    const y = randomMatrix(9, 6, 6);
    expect(mutualKnnOverlap(x, y)).toBe(mutualKnnOverlap(x, y, { k: 3 }));
    const small = [[0], [1], [3], [7]];
    const shuffled = [[0], [3], [1], [7]];
    expect(mutualKnnOverlap(small, shuffled)).toBe(mutualKnnOverlap(small, shuffled, { k: 2 }));
    expect(mutualKnnOverlap(small, shuffled)).not.toBe(mutualKnnOverlap(small, shuffled, { k: 1 }));
  });

  it('mutualKnnOverlap(x, y, options) throws XLING_INVALID_ARGUMENT for k outside [1, n - 2] and bad options', () => {
    const x = randomMatrix(5, 2, 1);
    expect(() => mutualKnnOverlap(x, x, { k: 4 })).toThrow(
      invalid(/'options.k'.*<= 3 for 5 rows, but got 4/),
    );
    expect(() => mutualKnnOverlap(x, x, { k: 0 })).toThrow(invalid(/'options.k'.*integer >= 1/));
    expect(() => mutualKnnOverlap(x, x, { k: 1.5 })).toThrow(invalid(/'options.k'/));
    expect(() => mutualKnnOverlap(x, x, { metric: 'manhattan' as 'cosine' })).toThrow(
      invalid(/options.metric/),
    );
    expect(() => mutualKnnOverlap(x, x, { neighbours: 2 } as object)).toThrow(invalid(/not a known option/));
  });

  it('mutualKnnOverlap(x, y) throws for empty input, two rows, NaN, zero rows (cosine) and row mismatch', () => {
    expect(() => mutualKnnOverlap([], [])).toThrow(invalid(/at least 3 rows/));
    expect(() => mutualKnnOverlap([[1], [2]], [[1], [2]])).toThrow(invalid(/at least 3 rows/));
    expect(() => mutualKnnOverlap([[1], [2], [Number.NaN]], [[1], [2], [3]])).toThrow(invalid(/'x'/));
    expect(() => mutualKnnOverlap([[1], [2], [3]], [[1], [0], [3]], { k: 1, metric: 'cosine' })).toThrow(
      invalid(/'y'.*zero row.*row 1/),
    );
    expect(() => mutualKnnOverlap([[1], [2], [3]], [[1], [2]])).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/'y'.*3 rows/),
      }),
    );
  });
});
