import { createRng } from '@xling/core';
import { afterEach, describe, expect, it } from 'vitest';
import { blockedBidiagonal, setBidiagonalPanel } from './blocked-bidiagonal.js';
import { gemmNN, gemmNT, gemmTN } from './gemm.js';
import { chase, golubKahanSvd } from './golub-kahan-svd.js';
import type { ProductEngine, ProductShape } from './product-engine.js';
import { setEngineMinWork } from './products.js';
import { singularValues, transposeData } from './thin-svd.js';
import { type Compute, ON_CALLING_THREAD } from './threads.js';
import { setVectorKernel } from './vector-ops.js';

/** The built-in wasm GEMM behind the engine interface, recording every call. */
function gemmEngine(): ProductEngine & { calls: ProductShape[] } {
  const calls: ProductShape[] = [];
  return {
    name: 'wasm gemm',
    calls,
    multiply(a, b, shape) {
      calls.push(shape);
      const { m, k, n, transposeA, transposeB } = shape;
      if (transposeA) return gemmTN(a, b, k, m, n);
      if (transposeB) return gemmNT(a, b, m, k, n);
      return gemmNN(a, b, m, k, n);
    },
  };
}

function random(m: number, n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: m * n }, () => rng.normal());
}

/** A Householder reflection I - 2 w w^T / (w^T w) of order n (orthogonal). */
function reflection(n: number, seed: number): Float64Array {
  const w = random(n, 1, seed);
  let norm = 0;
  for (const x of w) norm += x * x;
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) h[i * n + j] = (i === j ? 1 : 0) - (2 * w[i] * w[j]) / norm;
  return h;
}

/** Singular values from the blocked bidiagonal form and the QR chase (m >= n). */
function blockedValues(a: Float64Array, m: number, n: number, compute: Compute = ON_CALLING_THREAD) {
  const { s, e } = blockedBidiagonal(a, m, n, compute);
  expect(e[n - 1]).toBe(0);
  for (let j = 0; j < n; j++) {
    s[j] = Math.abs(s[j]);
    e[j] = Math.abs(e[j]);
  }
  chase(s, e, m, n, n, null, null, () => {});
  return s;
}

function expectSameValues(actual: Float64Array, expected: Float64Array, tolerance = 1e-12) {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(expected[0] ?? 0, Number.MIN_VALUE);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]) / scale).toBeLessThanOrEqual(tolerance);
    if (i > 0) expect(actual[i]).toBeLessThanOrEqual(actual[i - 1]);
  }
}

const unblocked = (a: Float64Array, m: number, n: number) => golubKahanSvd(a, m, n, false).s;

afterEach(() => {
  setBidiagonalPanel(undefined);
  setEngineMinWork(1 << 21);
});

describe('blockedBidiagonal(a, m, n, compute)', () => {
  for (const [m, n, nb] of [
    [150, 150, 32],
    [200, 130, 32],
    [37, 29, 8],
    [61, 61, 16],
    [45, 17, 5],
    [9, 9, 1],
  ]) {
    it(`gives golubKahanSvd's singular values of a random ${m} x ${n} matrix to 1e-12 (nb = ${nb})`, () => {
      setBidiagonalPanel(nb);
      const a = random(m, n, m * 1000 + n);
      expectSameValues(blockedValues(a, m, n), unblocked(a, m, n));
    });
  }

  it('gives the same values with the plain TypeScript kernels (setVectorKernel scalar)', () => {
    setBidiagonalPanel(8);
    const a = random(41, 35, 4);
    setVectorKernel('scalar');
    try {
      expectSameValues(blockedValues(a, 41, 35), unblocked(a, 41, 35));
    } finally {
      setVectorKernel('wasm');
    }
  });

  it('does not modify its input', () => {
    const a = random(40, 30, 3);
    const copy = Float64Array.from(a);
    setBidiagonalPanel(8);
    blockedValues(a, 40, 30);
    expect(a).toEqual(copy);
  });

  it('gives 1 x 1 and 2 x 2 singular values exactly as known', () => {
    expectSameValues(blockedValues(Float64Array.of(-3), 1, 1), Float64Array.of(3), 0);
    // [[3, 0], [4, 5]]: singular values sqrt(45) and sqrt(5).
    expectSameValues(
      blockedValues(Float64Array.of(3, 0, 4, 5), 2, 2),
      Float64Array.of(Math.sqrt(45), Math.sqrt(5)),
      1e-15,
    );
  });

  it('finds the zeros of a rank-deficient matrix (rank 7 of 50 x 40)', () => {
    setBidiagonalPanel(16);
    const a = gemmNN(random(50, 7, 1), random(7, 40, 2), 50, 7, 40);
    const s = blockedValues(a, 50, 40);
    expectSameValues(s, unblocked(a, 50, 40));
    for (let i = 7; i < 40; i++) expect(s[i] / s[0]).toBeLessThan(1e-14);
    expect(s[6] / s[0]).toBeGreaterThan(1e-3);
  });

  it('keeps repeated singular values (H1 diag(3, 3, 3, 2, 2, 1, ...) H2)', () => {
    setBidiagonalPanel(8);
    const n = 30;
    const d = Float64Array.from({ length: n }, (_, i) => (i < 3 ? 3 : i < 5 ? 2 : 1 / (i + 1)));
    const h1 = reflection(n, 11);
    const h2 = reflection(n, 12);
    const scaled = Float64Array.from(h1, (x, k) => x * d[k % n]);
    const a = gemmNN(scaled, h2, n, n, n);
    const expected = Float64Array.from(d).sort().reverse();
    expectSameValues(blockedValues(a, n, n), expected, 1e-14);
    expectSameValues(blockedValues(a, n, n), unblocked(a, n, n));
  });

  it('handles a zero column and a zero matrix', () => {
    setBidiagonalPanel(8);
    const a = random(33, 21, 5);
    for (let i = 0; i < 33; i++) a[i * 21 + 4] = 0;
    const s = blockedValues(a, 33, 21);
    expectSameValues(s, unblocked(a, 33, 21));
    expect(s[20]).toBeLessThan(1e-14 * s[0]);
    expect(Array.from(blockedValues(new Float64Array(12), 4, 3))).toEqual([0, 0, 0]);
  });

  it('hands each trailing update to the engine as one product of depth 2 nb', () => {
    setBidiagonalPanel(16);
    setEngineMinWork(1);
    const engine = gemmEngine();
    const a = random(70, 50, 9);
    const s = blockedValues(a, 70, 50, { threads: 1, engine });
    expectSameValues(s, unblocked(a, 70, 50));
    // Panels at columns 0, 16, 32 leave trailing matrices of 54 x 34, 38 x 18 and 22 x 2.
    expect(engine.calls.map(({ m, k, n }) => [m, k, n])).toEqual([
      [54, 32, 34],
      [38, 32, 18],
      [22, 32, 2],
    ]);
  });
});

describe('singularValues(a, m, n, compute)', () => {
  for (const [m, n] of [
    [150, 150],
    [200, 130],
    [130, 200],
    [100, 90],
  ]) {
    it(`equals golubKahanSvd's values on a random ${m} x ${n} matrix to 1e-12, with and without an engine`, () => {
      const a = random(m, n, m + n);
      const expected = m >= n ? unblocked(a, m, n) : unblocked(transposeData(a, m, n), n, m);
      expectSameValues(singularValues(a, m, n), expected);
      setEngineMinWork(1);
      const engine = gemmEngine();
      expectSameValues(singularValues(a, m, n, { threads: 1, engine }), expected);
      // The blocked path (min(m, n) >= 128) hands its trailing updates to the engine.
      expect(engine.calls.length > 0).toBe(Math.min(m, n) >= 128);
    });
  }
});
