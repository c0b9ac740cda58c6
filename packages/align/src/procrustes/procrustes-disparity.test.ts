import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/procrustes.json';
import { procrustes } from './procrustes.js';
import { procrustesDisparity } from './procrustes-disparity.js';

describe('procrustesDisparity(x, y)', () => {
  for (const c of golden.cases) {
    it(`matches scipy's disparity to 1e-9: ${c.name}`, () => {
      expectClose(procrustesDisparity(c.x, c.y), c.disparity, { rtol: 1e-9, atol: 1e-12 });
    });
  }

  it('procrustesDisparity(x, y) thin path (n < d) equals the full procrustes() to 1e-12', () => {
    for (const [n, d] of [
      [17, 300],
      [37, 200],
      [5, 6],
    ]) {
      const x = randomMatrix(n, d, n);
      const y = randomMatrix(n, d, n + 1);
      expectClose(procrustesDisparity(x, y), procrustes(x, y).disparity, { rtol: 1e-12, atol: 1e-13 });
    }
  });

  it('procrustesDisparity(x, y) is 0 for a reflected, scaled, shifted copy', () => {
    const x = randomMatrix(9, 40, 3);
    const y = { ...x, data: x.data.map((v, k) => (k % 40 === 0 ? -v : v) * 3 + 1) };
    expect(procrustesDisparity(x, y)).toBeLessThan(1e-13);
  });

  it('procrustesDisparity(x, y) throws XLING_SHAPE_MISMATCH and XLING_INVALID_ARGUMENT like procrustes', () => {
    expect(() => procrustesDisparity([[1], [2]], [[1], [2], [3]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => procrustesDisparity([], [])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 rows/),
      }),
    );
    expect(() => procrustesDisparity([[1]], [[1]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => procrustesDisparity([[1], [Number.NaN]], [[1], [2]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(/NaN/) }),
    );
    expect(() => procrustesDisparity([[1], [2]], [[3], [3]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'y'.*distinct row/),
      }),
    );
  });
});
