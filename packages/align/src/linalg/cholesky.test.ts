import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { cholesky, solveLowerInPlace, solveLowerTransposeInPlace } from './cholesky.js';
import { gemmNN, gemmNT, gemmTN, syrkTN } from './gemm.js';

describe('cholesky(a, n) and the blocked triangular solves', () => {
  for (const n of [5, 64, 150]) {
    it(`factor and solve a ${n} x ${n} SPD system to 1e-10 (blocks of 64)`, () => {
      const x = randomMatrix(n + 20, n, n).data;
      const a = syrkTN(x, n + 20, n);
      const l = cholesky(a, n)!;
      expectClose(gemmNT(l, l, n, n, n), a, { rtol: 1e-12, atol: 1e-10 });
      const b = randomMatrix(n, 7, 1).data;
      const y = Float64Array.from(b);
      solveLowerInPlace(l, n, y, 7);
      expectClose(gemmNN(l, y, n, n, 7), b, { atol: 1e-10 });
      const z = Float64Array.from(b);
      solveLowerTransposeInPlace(l, n, z, 7);
      expectClose(gemmTN(l, z, n, n, 7), b, { atol: 1e-10 });
    });
  }

  it('cholesky(a, n) returns null for a singular matrix', () => {
    expect(cholesky(Float64Array.from([1, 1, 1, 1]), 2)).toBeNull();
  });
});
