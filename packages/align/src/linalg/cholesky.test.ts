import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { cholesky, solveLowerInPlace, solveLowerTransposeInPlace } from './cholesky.js';
import { gemmNN, gemmNT, gemmTN, syrkTN } from './gemm.js';
import type { ProductEngine } from './product-engine.js';
import { setEngineMinWork } from './products.js';

describe('cholesky(a, n) and the blocked triangular solves', () => {
  for (const n of [5, 64, 150]) {
    it(`factor and solve a ${n} x ${n} SPD system to 1e-10 (blocks of 64 and 32)`, () => {
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
    // Singular in a later block: the trailing updates must leave a zero pivot there.
    const x = randomMatrix(100, 130, 3).data;
    expect(cholesky(syrkTN(x, 100, 130), 130)).toBeNull();
  });

  it('cholesky(a, n, compute) and the solves hand their block products to an engine, same factor', () => {
    const shapes: string[] = [];
    const engine: ProductEngine = {
      name: 'wasm kernels',
      multiply(a, b, { m, k, n, transposeA, transposeB }) {
        shapes.push(`${m}x${k}x${n}${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}`);
        if (transposeA) return gemmTN(a, b, k, m, n);
        return transposeB ? gemmNT(a, b, m, k, n) : gemmNN(a, b, m, k, n);
      },
    };
    setEngineMinWork(1);
    try {
      const n = 150;
      const a = syrkTN(randomMatrix(170, n, 4).data, 170, n);
      const compute = { threads: 1, engine };
      const l = cholesky(a, n, compute)!;
      expectClose(l, cholesky(a, n)!, { rtol: 1e-13, atol: 1e-12 });
      expect(shapes).toEqual(['86x64x86NT', '22x64x22NT']);
      const b = randomMatrix(n, 7, 5).data;
      const y = Float64Array.from(b);
      solveLowerInPlace(l, n, y, 7, compute);
      expectClose(gemmNN(l, y, n, n, 7), b, { atol: 1e-10 });
      const z = Float64Array.from(b);
      solveLowerTransposeInPlace(l, n, z, 7, compute);
      expectClose(gemmTN(l, z, n, n, 7), b, { atol: 1e-10 });
      expect(shapes.length).toBe(2 + 4 + 4);
    } finally {
      setEngineMinWork(1 << 21);
    }
  });
});
