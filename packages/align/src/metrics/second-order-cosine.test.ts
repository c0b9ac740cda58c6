import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { affineCopy, measureCases, reflectColumns } from '../__fixtures__/measures-golden.js';
import { secondOrderCosine } from './second-order-cosine.js';

const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(message) });

describe('secondOrderCosine(x, y, options)', () => {
  for (const c of measureCases) {
    if (c.secondOrderCosine === undefined) continue;
    it(`matches the numpy reference to 1e-9 for every k: ${c.name}`, () => {
      for (const { k, value } of c.secondOrderCosine ?? []) {
        expectClose(secondOrderCosine(c.x, c.y, { k }), value, { label: `k = ${k}` });
      }
    });
  }

  it('secondOrderCosine(x, y) is 1 under reflection and scaling, not under translation', () => {
    const x = randomMatrix(10, 6, 11);
    expectClose(secondOrderCosine(x, affineCopy(reflectColumns(x, 12), 4, 0), { k: 9 }), 1);
    expect(secondOrderCosine(x, affineCopy(x, 1, 3))).toBeLessThan(0.999);
  });

  it('secondOrderCosine(x, y) defaults to k = min(3, n - 1)', () => {
    const x = randomMatrix(9, 4, 13);
    const y = randomMatrix(9, 5, 14);
    expect(secondOrderCosine(x, y)).toBe(secondOrderCosine(x, y, { k: 3 }));
    const small = [
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    const shuffled = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    expect(secondOrderCosine(small, shuffled)).toBe(secondOrderCosine(small, shuffled, { k: 2 }));
  });

  it('secondOrderCosine(x, y, options) throws XLING_INVALID_ARGUMENT for k outside [1, n - 1] and bad options', () => {
    const x = randomMatrix(5, 3, 1);
    expect(() => secondOrderCosine(x, x, { k: 5 })).toThrow(
      invalid(/'options.k'.*<= 4 for 5 rows, but got 5/),
    );
    expect(() => secondOrderCosine(x, x, { k: 0 })).toThrow(invalid(/'options.k'.*integer >= 1/));
    expect(() => secondOrderCosine(x, x, { metric: 'euclidean' } as object)).toThrow(
      invalid(/not a known option/),
    );
  });

  it('secondOrderCosine(x, y) throws for two rows, NaN, a zero row, row mismatch and rows orthogonal to their neighbours', () => {
    expect(() => secondOrderCosine([], [])).toThrow(invalid(/at least 3 rows/));
    expect(() => secondOrderCosine([[1], [2]], [[1], [2]])).toThrow(invalid(/at least 3 rows/));
    expect(() => secondOrderCosine([[1], [2], [Infinity]], [[1], [2], [3]])).toThrow(invalid(/'x'/));
    expect(() => secondOrderCosine([[1], [0], [3]], [[1], [2], [3]])).toThrow(
      invalid(/'x'.*zero row.*row 1/),
    );
    expect(() => secondOrderCosine([[1], [2], [3]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    const axes = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    expect(() => secondOrderCosine(randomMatrix(3, 3, 2), axes)).toThrow(invalid(/'y'.*row 0 orthogonal/));
  });
});
