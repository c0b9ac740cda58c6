import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN } from './gemm.js';
import { setVectorKernel } from './vector-ops.js';
import { flipSignsInPlace } from './sign-convention.js';
import { singularValues, thinSvd } from './thin-svd.js';

function reconstruct(u: Float64Array, s: Float64Array, v: Float64Array, m: number, n: number, k: number) {
  const us = Float64Array.from(u, (x, i) => x * s[i % k]);
  return gemmNT(us, v, m, k, n);
}

describe.each(['wasm', 'scalar'] as const)('thinSvd(a, m, n) with %s BLAS-1 kernels', (kernel) => {
  beforeAll(() => setVectorKernel(kernel));
  afterAll(() => setVectorKernel('wasm'));

  for (const [m, n] of [
    [7, 4],
    [4, 7],
    [12, 12],
    [120, 100],
    [100, 130],
  ]) {
    it(`reconstructs a ${m} x ${n} matrix to 1e-12 with orthonormal factors (${Math.min(m, n) > 96 ? 'ml-matrix' : 'Jacobi'})`, () => {
      const a = randomMatrix(m, n, m * n).data;
      const { u, s, v, k } = thinSvd(a, m, n);
      expectClose(reconstruct(u, s, v, m, n, k), a, { atol: 1e-11 });
      const identity = new Float64Array(k * k);
      for (let i = 0; i < k; i++) identity[i * k + i] = 1;
      expectClose(gemmTN(u, u, m, k, k), identity, { atol: 1e-12 });
      expectClose(gemmTN(v, v, n, k, k), identity, { atol: 1e-12 });
      for (let i = 1; i < k; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
      expectClose(singularValues(a, m, n), s, { rtol: 1e-10, atol: 1e-12 });
    });
  }

  for (const d of [6, 110]) {
    it(`completes U to an orthonormal basis for a rank-deficient ${d} x ${d} matrix`, () => {
      const b = randomMatrix(d, 2, 3).data;
      const a = gemmNN(b, randomMatrix(2, d, 4).data, d, 2, d);
      const { u, s } = thinSvd(a, d, d);
      expect(s[3]).toBeLessThan(1e-12 * s[0]);
      const identity = new Float64Array(d * d);
      for (let i = 0; i < d; i++) identity[i * (d + 1)] = 1;
      expectClose(gemmTN(u, u, d, d, d), identity, { atol: 1e-12 });
    });
  }

  it('singularValues(a, m, n) of small, wide, rank-deficient and zero-column matrices equals Jacobi to 1e-13', () => {
    const cases: [number, number, Float64Array][] = [
      [17, 17, randomMatrix(17, 17, 1).data],
      [37, 37, randomMatrix(37, 37, 2).data],
      [1, 5, randomMatrix(1, 5, 3).data],
      [5, 1, randomMatrix(5, 1, 4).data],
      [9, 30, randomMatrix(9, 30, 5).data],
      [8, 8, gemmNN(randomMatrix(8, 3, 6).data, randomMatrix(3, 8, 7).data, 8, 3, 8)],
      [6, 4, randomMatrix(6, 4, 8).data.map((v, i) => (i % 4 === 1 ? 0 : v))],
      [4, 4, new Float64Array(16)],
    ];
    for (const [m, n, a] of cases) {
      const copy = a.slice();
      const values = singularValues(a, m, n);
      expect(a).toEqual(copy);
      expectClose(values, thinSvd(a, m, n).s, { atol: 1e-13 * Math.max(1, values[0]) });
    }
  });

  it('flipSignsInPlace(u, ...) makes the largest entry of each left vector positive, like svd_flip', () => {
    const u = Float64Array.from([0.1, -0.9, -0.8, 0.2]);
    const v = Float64Array.from([1, 1, 1, 1]);
    flipSignsInPlace(u, 2, 2, v, 2);
    expect(Array.from(u)).toEqual([-0.1, 0.9, 0.8, -0.2]);
    expect(Array.from(v)).toEqual([-1, -1, -1, -1]);
  });
});
