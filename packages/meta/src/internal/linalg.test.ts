import { createRng } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { matmul, squaredDistances } from './linalg.js';
import { prototypeLoss } from './prototype-loss.js';

const rng = createRng(7);
const random = (rows: number, cols: number) => ({
  rows,
  cols,
  data: Float64Array.from({ length: rows * cols }, () => rng.normal()),
});
const transposed = (a: { rows: number; cols: number; data: Float64Array }) => {
  const data = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) data[j * a.rows + i] = a.data[i * a.cols + j];
  return { rows: a.cols, cols: a.rows, data };
};

/** The plain triple loop, each entry summed over ascending p from its start value. */
function plain(a: Float64Array, b: Float64Array, m: number, inner: number, n: number, start?: Float64Array) {
  const c = start ? Float64Array.from(start) : new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = c[i * n + j];
      for (let p = 0; p < inner; p++) s += a[i * inner + p] * b[p * n + j];
      c[i * n + j] = s;
    }
  return c;
}

describe('matmul (register-blocked kernels)', () => {
  // Shapes with every remainder of the 2 × 4 and 4-wide blocks, and the meta shapes.
  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [2, 4, 4],
    [5, 3, 6],
    [9, 17, 11],
    [160, 32, 32],
    [31, 64, 17],
  ];
  it.each(shapes)(
    '%i × %i × %i: a b, a^T b and a b^T are the bits of the plain triple loop',
    (m, inner, n) => {
      const a = random(m, inner);
      const b = random(inner, n);
      const want = plain(a.data, b.data, m, inner, n);
      expect(matmul(a, b).data).toEqual(want);
      expect(matmul(transposed(a), b, { transpose: 'a' }).data).toEqual(want);
      expect(matmul(a, transposed(b), { transpose: 'b' }).data).toEqual(want);
    },
  );

  it('adds to `into` (each entry summed from its start value) for every transpose', () => {
    const [m, inner, n] = [7, 9, 6];
    const a = random(m, inner);
    const b = random(inner, n);
    const start = random(m, n).data;
    const want = plain(a.data, b.data, m, inner, n, start);
    const into = () => ({ rows: m, cols: n, data: Float64Array.from(start) });
    expect(matmul(a, b, { into: into() }).data).toEqual(want);
    expect(matmul(transposed(a), b, { transpose: 'a', into: into() }).data).toEqual(want);
    expect(matmul(a, transposed(b), { transpose: 'b', into: into() }).data).toEqual(want);
  });
});

describe('squaredDistances / prototypeLoss', () => {
  it('squaredDistances is the plain sum over ascending coordinates, for any number of prototypes', () => {
    const z = random(6, 5);
    for (const m of [1, 3, 4, 9]) {
      const p = random(m, 5);
      const got = squaredDistances(z, p).data;
      for (let i = 0; i < 6; i++)
        for (let c = 0; c < m; c++) {
          let s = 0;
          for (let j = 0; j < 5; j++) s += (z.data[i * 5 + j] - p.data[c * 5 + j]) ** 2;
          expect(got[i * m + c]).toBe(s);
        }
    }
  });

  it('prototypeGradient: false gives the same loss and dz bits and leaves dp zero', () => {
    const z = random(12, 4);
    const p = random(5, 4);
    const target = Int32Array.from({ length: 12 }, (_, i) => (i % 6) - 1);
    const full = prototypeLoss(z, p, target);
    const partial = prototypeLoss(z, p, target, { prototypeGradient: false });
    expect(partial.loss).toBe(full.loss);
    expect(partial.dz.data).toEqual(full.dz.data);
    expect(Array.from(partial.dp.data).every((v) => v === 0)).toBe(true);
    expect(Array.from(full.dp.data).some((v) => v !== 0)).toBe(true);
  });
});
