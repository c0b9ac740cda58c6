import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orthogonalProcrustes } from '../procrustes/orthogonal-procrustes.js';
import { gemmNN, gemmNT, gemmTN } from './gemm.js';
import { polarNewtonSchulz } from './polar-newton-schulz.js';
import type { ProductEngine } from './product-engine.js';
import { setEngineMinWork } from './products.js';
import { thinSvd } from './thin-svd.js';

/** An engine on the built-in kernels, counting d x d x d products. */
function kernelEngine(): ProductEngine & { cubes: number } {
  const engine = {
    name: 'wasm kernels',
    cubes: 0,
    multiply(
      a: Float64Array,
      b: Float64Array,
      { m, k, n, transposeA, transposeB }: Parameters<ProductEngine['multiply']>[2],
    ) {
      if (m === k && k === n) engine.cubes += 1;
      if (transposeA) return gemmTN(a, b, k, m, n);
      return transposeB ? gemmNT(a, b, m, k, n) : gemmNN(a, b, m, k, n);
    },
  };
  return engine;
}

/** The polar factor and nuclear norm from the SVD (the reference route). */
function viaSvd(m: Float64Array, d: number) {
  const svd = thinSvd(m, d, d);
  return { rotation: gemmNT(svd.u, svd.v, d, d, d), nuclear: svd.s.reduce((s, v) => s + v, 0), s: svd.s };
}

/** U diag(s) V^T with U, V the orthogonal factors of two random matrices. */
function withSingularValues(s: Float64Array, seed: number): Float64Array {
  const d = s.length;
  const u = viaSvd(randomMatrix(d, d, seed).data, d).rotation;
  const v = viaSvd(randomMatrix(d, d, seed + 1).data, d).rotation;
  const us = Float64Array.from(u, (x, k) => x * s[k % d]);
  return gemmNT(us, v, d, d, d);
}

beforeAll(() => setEngineMinWork(1));
afterAll(() => setEngineMinWork(1 << 21));

describe('polarNewtonSchulz(m, d, compute)', () => {
  const compute = () => ({ threads: 1, engine: kernelEngine() });

  it('equals U V^T and the sum of singular values from the SVD (random 150 x 150)', () => {
    const m = randomMatrix(150, 150, 1).data;
    const polar = polarNewtonSchulz(m, 150, compute())!;
    const ref = viaSvd(m, 150);
    expectClose(polar.rotation, ref.rotation, { atol: 1e-11 });
    expectClose(polar.nuclear, ref.nuclear, { rtol: 1e-12 });
    const identity = new Float64Array(150 * 150).map((_, k) => (k % 151 === 0 ? 1 : 0));
    expectClose(gemmTN(polar.rotation, polar.rotation, 150, 150, 150), identity, { atol: 1e-13 });
  });

  it('converges for condition numbers up to 1e8 (singular values spread geometrically)', () => {
    const d = 120;
    const s = Float64Array.from({ length: d }, (_, i) => 10 ** (-8 * (i / (d - 1))));
    const m = withSingularValues(s, 3);
    const polar = polarNewtonSchulz(m, d, compute())!;
    expect(polar).not.toBeNull();
    expectClose(polar.rotation, viaSvd(m, d).rotation, { atol: 1e-6 });
    expectClose(
      polar.nuclear,
      s.reduce((a, b) => a + b, 0),
      { rtol: 1e-12 },
    );
  });

  it('finds -I for M = -2 I (H = 2 I) and handles a reflection', () => {
    const d = 40;
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) m[i * d + i] = i === 0 ? 3 : -2;
    const polar = polarNewtonSchulz(m, d, compute())!;
    const expected = new Float64Array(d * d);
    for (let i = 0; i < d; i++) expected[i * d + i] = i === 0 ? 1 : -1;
    expectClose(polar.rotation, expected, { atol: 1e-14 });
    expectClose(polar.nuclear, 3 + 2 * (d - 1), { rtol: 1e-14 });
  });

  it('returns null for singular or zero M (the caller falls back to the SVD)', () => {
    const d = 60;
    const s = Float64Array.from({ length: d }, (_, i) => (i < 50 ? 1 + i : 0));
    expect(polarNewtonSchulz(withSingularValues(s, 5), d, compute())).toBeNull();
    expect(polarNewtonSchulz(new Float64Array(d * d), d, compute())).toBeNull();
  });
});

describe('orthogonalProcrustes(a, b, { engine }) with d >= 256', () => {
  it('takes the polar iteration and agrees with the SVD route to 1e-11', () => {
    const [n, d] = [400, 260];
    const a = randomMatrix(n, d, 7);
    const noise = randomMatrix(n, d, 8).data;
    const b = { rows: n, cols: d, data: Float64Array.from(a.data, (v, k) => 0.6 * v + noise[k]) };
    const engine = kernelEngine();
    const fast = orthogonalProcrustes(a, b, { engine });
    expect(engine.cubes).toBeGreaterThan(4);
    const ref = orthogonalProcrustes(a, b);
    expectClose(fast.rotation.data, ref.rotation.data, { atol: 1e-11 });
    expectClose(fast.scale, ref.scale, { rtol: 1e-12 });
  });

  it('falls back to the SVD when a^T b is singular (n < d), same answer as without the engine', () => {
    const [n, d] = [200, 300];
    const a = randomMatrix(n, d, 9);
    const b = randomMatrix(n, d, 10);
    const fast = orthogonalProcrustes(a, b, { engine: kernelEngine() });
    const ref = orthogonalProcrustes(a, b);
    expectClose(fast.scale, ref.scale, { rtol: 1e-12 });
    // Only the part the data determine is unique: a R.
    const n2 = gemmNN(a.data, fast.rotation.data, n, d, d);
    expectClose(n2, gemmNN(a.data, ref.rotation.data, n, d, d), { atol: 1e-10 });
  });
});
