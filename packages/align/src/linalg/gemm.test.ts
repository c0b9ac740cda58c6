import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN, setGemmKernel, syrkNT, syrkTN } from './gemm.js';
import { wasmKernel } from './wasm-kernel.js';

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++)
        s += (ta ? a[t * m + i] : a[i * k + t]) * (tb ? b[j * k + t] : b[t * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

describe.each(['wasm', 'scalar'] as const)('gemm kernels (%s)', (kernel) => {
  beforeAll(() => setGemmKernel(kernel));
  afterAll(() => setGemmKernel('wasm'));

  it('the wasm SIMD kernel is available on Node >= 20', () => {
    expect(wasmKernel(1024)).not.toBeNull();
  });

  // Sizes straddle the 4 x 4 tile, the 64-row block, the 256-deep panel and the 1024-wide block.
  for (const [m, k, n] of [
    [1, 1, 1],
    [3, 5, 2],
    [67, 300, 9],
    [5, 513, 70],
    [70, 3, 1030],
  ]) {
    it(`gemmNN / gemmTN / gemmNT / syrk match the naive product to 1e-12 at ${m} x ${k} x ${n}`, () => {
      const a = randomMatrix(m, k, m + k).data;
      const b = randomMatrix(k, n, k + n).data;
      const at = randomMatrix(k, m, 7).data;
      const bt = randomMatrix(n, k, 8).data;
      expectClose(gemmNN(a, b, m, k, n), naive(a, b, m, k, n, false, false), { atol: 1e-12 });
      expectClose(gemmTN(at, b, k, m, n), naive(at, b, m, k, n, true, false), { atol: 1e-12 });
      expectClose(gemmNT(a, bt, m, k, n), naive(a, bt, m, k, n, false, true), { atol: 1e-12 });
      expectClose(syrkTN(at, k, m), naive(at, at, m, k, m, true, false), { atol: 1e-12 });
      expectClose(syrkNT(a, m, k), naive(a, a, m, k, m, false, true), { atol: 1e-12 });
    });
  }

  it('gemmNN(...) of empty operands is an all-zero (or empty) result', () => {
    expect(gemmNN(new Float64Array(0), new Float64Array(0), 0, 3, 0)).toHaveLength(0);
    expect(Array.from(gemmTN(new Float64Array(0), new Float64Array(0), 0, 2, 2))).toEqual([0, 0, 0, 0]);
  });
});
