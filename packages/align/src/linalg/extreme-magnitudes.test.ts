import { randomMatrix } from '@xling/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cca } from '../cca/cca.js';
import { linearCka } from '../metrics/linear-cka.js';
import { orthogonalProcrustes } from '../procrustes/orthogonal-procrustes.js';
import { gemmNN, gemmNT, gemmTN } from './gemm.js';
import type { ProductEngine } from './product-engine.js';
import { setEngineMinWork } from './products.js';
import { golubKahanSvd } from './golub-kahan-svd.js';
import { singularValues, thinSvd } from './thin-svd.js';

const scaled = (m: { rows: number; cols: number; data: Float64Array }, factor: number) => ({
  rows: m.rows,
  cols: m.cols,
  data: Float64Array.from(m.data, (v) => v * factor),
});

const kernelEngine: ProductEngine = {
  name: 'wasm kernels',
  multiply(a, b, { m, k, n, transposeA, transposeB }) {
    if (transposeA) return gemmTN(a, b, k, m, n);
    return transposeB ? gemmNT(a, b, m, k, n) : gemmNN(a, b, m, k, n);
  },
};

function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < b.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return diff / scale;
}

describe('values far from 1 (scaled into a safe range, or a clear error)', () => {
  afterEach(() => setEngineMinWork(1 << 21));

  it.each([1e-310, 1e-200, 1e200, 1e300])(
    'thinSvd and singularValues of a matrix scaled by %d finish with the scaled values',
    (factor) => {
      for (const d of [3, 40, 130]) {
        const a = randomMatrix(d, d, d);
        const reference = singularValues(a.data, d, d);
        const data = scaled(a, factor).data;
        const values = singularValues(data, d, d).map((v) => v / factor);
        const svd = thinSvd(data, d, d);
        // Subnormal inputs keep only part of their 53 bits.
        const tolerance = factor < 1e-300 ? 1e-9 : 1e-13;
        expect(maxRelative(values, reference)).toBeLessThan(tolerance);
        expect(
          maxRelative(
            svd.s.map((v) => v / factor),
            reference,
          ),
        ).toBeLessThan(tolerance);
      }
    },
  );

  it('entries whose squares underflow keep their size in column norms (hypot fallback)', () => {
    // Largest entry 1, so nothing is rescaled; column 1's norm squared (2e-340) underflows.
    const a = Float64Array.from([1, 0, 0, 1e-170, 0, 1e-170]);
    for (const values of [singularValues(a, 3, 2), thinSvd(a, 3, 2).s]) {
      expect(values[0]).toBe(1);
      expect(values[1] / (Math.SQRT2 * 1e-170)).toBeCloseTo(1, 14);
    }
  });

  it.each([
    [1e-170, 11],
    [1e-305, 21],
    [1e-307, 21],
    [1e-308, 21],
    [1e-310, 21],
  ])('a block at %d below the rest: finite values within eps * ||A||, the large ones to 1e-14', (k, seed) => {
    // diag(B1, k B2): the largest entry is ~1, so nothing is rescaled; B2's norms and the QR
    // chase's rotations square to below float64's range (subnormal from 1e-305 on).
    const b1 = randomMatrix(4, 4, seed);
    const b2 = randomMatrix(4, 4, seed + 1);
    const a = new Float64Array(64);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        a[i * 8 + j] = b1.data[i * 4 + j];
        a[(i + 4) * 8 + j + 4] = k * b2.data[i * 4 + j];
      }
    }
    const large = singularValues(b1.data, 4, 4);
    for (const values of [singularValues(a, 8, 8), golubKahanSvd(a, 8, 8, true).s]) {
      expect(values.every(Number.isFinite)).toBe(true);
      expect(maxRelative(values.slice(0, 4), large)).toBeLessThan(1e-14);
      for (const v of values.slice(4)) expect(Math.abs(v)).toBeLessThan(1e-15 * large[0]);
    }
  });

  it.each([1e100, 1e-100])('linearCka(x * %d, y) equals linearCka(x, y), debiased too', (factor) => {
    const x = randomMatrix(80, 12, 1);
    const noise = randomMatrix(80, 12, 2);
    const y = { rows: 80, cols: 12, data: Float64Array.from(x.data, (v, k) => v + noise.data[k]) };
    const wide = randomMatrix(10, 30, 3);
    for (const debiased of [false, true]) {
      expect(linearCka(scaled(x, factor), y, { debiased })).toBeCloseTo(linearCka(x, y, { debiased }), 12);
      expect(linearCka(scaled(wide, factor), wide, { debiased })).toBeCloseTo(1, 12);
    }
    setEngineMinWork(1);
    expect(linearCka(scaled(x, factor), y, { engine: kernelEngine })).toBeCloseTo(linearCka(x, y), 12);
  });

  it('orthogonalProcrustes with an engine (polar route) is unchanged by scaling the inputs', () => {
    setEngineMinWork(1);
    const a = randomMatrix(300, 256, 4);
    const b = randomMatrix(300, 256, 5);
    const reference = orthogonalProcrustes(a, b, { engine: kernelEngine });
    for (const factor of [1e-120, 1e120]) {
      const result = orthogonalProcrustes(scaled(a, factor), b, { engine: kernelEngine });
      expect(maxRelative(result.rotation.data, reference.rotation.data)).toBeLessThan(1e-11);
      expect(result.scale / factor).toBeCloseTo(reference.scale, 6);
    }
  });

  it('products that overflow float64 throw a clear error instead of returning NaN', () => {
    const a = scaled(randomMatrix(50, 8, 6), 1e160);
    const b = randomMatrix(50, 8, 7);
    const big = scaled(b, 1e160);
    expect(() => orthogonalProcrustes(a, big)).toThrow(
      /product of the inputs is not finite: it overflowed float64/,
    );
    expect(() => cca(a, big)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    setEngineMinWork(1);
    const nanEngine: ProductEngine = {
      name: 'nan',
      multiply: (_a, _b, s) => new Float64Array(s.m * s.n).fill(Number.NaN),
    };
    expect(() => linearCka(a, b, { engine: nanEngine })).toThrow(/check the product engine 'nan'/);
  });
});
