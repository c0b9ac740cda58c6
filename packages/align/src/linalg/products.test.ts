import { createRng } from '@xling/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cca } from '../cca/cca.js';
import { pwcca } from '../cca/pwcca.js';
import { svcca } from '../cca/svcca.js';
import { linearCka } from '../metrics/linear-cka.js';
import { OrthogonalProcrustes } from '../procrustes/orthogonal-procrustes-estimator.js';
import { orthogonalProcrustes } from '../procrustes/orthogonal-procrustes.js';
import type { ProductEngine, ProductShape } from './product-engine.js';
import { setChunkElements } from './centered-products.js';
import { setEngineMinWork } from './products.js';

/** A reference engine: textbook triple loops over the stored layouts, recording every call. */
function loopEngine(): ProductEngine & { calls: ProductShape[] } {
  const calls: ProductShape[] = [];
  return {
    name: 'loops',
    calls,
    multiply(a, b, shape) {
      calls.push(shape);
      const { m, k, n, transposeA, transposeB } = shape;
      const c = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let t = 0; t < k; t++) {
            s += (transposeA ? a[t * m + i] : a[i * k + t]) * (transposeB ? b[j * k + t] : b[t * n + j]);
          }
          c[i * n + j] = s;
        }
      return c;
    },
  };
}

function data(rows: number, cols: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return diff / scale;
}

const x = data(60, 12, 1);
const y = data(60, 12, 2).map((row, i) => row.map((v, j) => 0.5 * v + x[i][j]));

describe('the engine option', () => {
  afterEach(() => setEngineMinWork(1 << 21));

  it('orthogonalProcrustes(a, b, { engine }) hands a^T b and U V^T to the engine, same answer', () => {
    setEngineMinWork(1);
    const engine = loopEngine();
    const plain = orthogonalProcrustes(x, y);
    const viaEngine = orthogonalProcrustes(x, y, { engine });
    expect(engine.calls).toEqual([
      { m: 12, k: 60, n: 12, transposeA: true, transposeB: false },
      { m: 12, k: 12, n: 12, transposeA: false, transposeB: true },
    ]);
    expect(maxRelative(viaEngine.rotation.data, plain.rotation.data)).toBeLessThan(1e-12);
    expect(viaEngine.scale).toBeCloseTo(plain.scale, 10);
  });

  it('new OrthogonalProcrustes({ engine }).fit(source, target) uses the engine', () => {
    setEngineMinWork(1);
    const engine = loopEngine();
    const fitted = new OrthogonalProcrustes({ engine, center: true }).fit(x, y);
    expect(fitted.engine).toBe(engine);
    expect(engine.calls.length).toBe(2);
    const plain = new OrthogonalProcrustes({ center: true }).fit(x, y);
    expect(maxRelative(fitted.rotation.data, plain.rotation.data)).toBeLessThan(1e-12);
    expect(fitted.toJSON().options).toEqual({ scale: false, center: true, reflection: 'allow' });
  });

  it('cca, svcca, pwcca and linearCka with { engine } agree with the built-in kernels', () => {
    setEngineMinWork(1);
    const engine = loopEngine();
    expect(maxRelative(cca(x, y, { engine }).correlations, cca(x, y).correlations)).toBeLessThan(1e-12);
    expect(engine.calls.length).toBe(3);
    expect(svcca(x, y, { engine }).similarity).toBeCloseTo(svcca(x, y).similarity, 12);
    expect(pwcca(x, y, { engine }).similarity).toBeCloseTo(pwcca(x, y).similarity, 12);
    const calls = engine.calls.length;
    expect(linearCka(x, y, { engine })).toBeCloseTo(linearCka(x, y), 12);
    expect(engine.calls.slice(calls).map((s) => [s.m, s.k, s.n])).toEqual([
      [12, 60, 12],
      [12, 60, 12],
      [12, 60, 12],
    ]);
  });

  it('cca and linearCka with { engine } centre and multiply chunk by chunk (8 rows here), same answer', () => {
    setEngineMinWork(1);
    setChunkElements(100);
    try {
      const engine = loopEngine();
      expect(maxRelative(cca(x, y, { engine }).correlations, cca(x, y).correlations)).toBeLessThan(1e-12);
      expect(engine.calls.length).toBe(3 * 8);
      expect(engine.calls[0]).toEqual({ m: 12, k: 8, n: 12, transposeA: true, transposeB: false });
      expect(linearCka(x, y, { engine })).toBeCloseTo(linearCka(x, y), 12);
      expect(linearCka(x, y, { engine, debiased: true })).toBeCloseTo(
        linearCka(x, y, { debiased: true }),
        12,
      );
      const constant = x.map((row) => [1, ...row.slice(1)]);
      expect(() => cca(constant, y, { engine })).toThrow(/'x' passed to 'cca' .*zero variance in column 0/);
    } finally {
      setChunkElements(1 << 21);
    }
  });

  it('wide sides: Gram matrices from two column blocks, upper blocks only; same answer', () => {
    setEngineMinWork(1);
    setChunkElements(30_000);
    try {
      const engine = loopEngine();
      const wx = data(300, 260, 3);
      const wy = data(300, 300, 4).map((row, i) => row.map((v, j) => v + wx[i][j % 260]));
      expect(linearCka(wx, wy, { engine })).toBeCloseTo(linearCka(wx, wy), 12);
      // 3 chunks of 100 rows; per chunk xy as 2 x 2 blocks, xx and yy as 3 blocks each
      expect(engine.calls.length).toBe(3 * (4 + 3 + 3));
      expect(engine.calls.slice(0, 10).map((c) => [c.m, c.k, c.n])).toEqual([
        [130, 100, 150],
        [130, 100, 150],
        [130, 100, 150],
        [130, 100, 150],
        [130, 100, 130],
        [130, 100, 130],
        [130, 100, 130],
        [150, 100, 150],
        [150, 100, 150],
        [150, 100, 150],
      ]);
      const ridge = 0.5;
      expect(
        maxRelative(cca(wx, wy, { engine, ridge }).correlations, cca(wx, wy, { ridge }).correlations),
      ).toBeLessThan(1e-11);
    } finally {
      setChunkElements(1 << 21);
    }
  });

  it('keeps products under the size threshold on the built-in kernels', () => {
    const engine = loopEngine();
    orthogonalProcrustes(x, y, { engine });
    expect(engine.calls).toEqual([]);
  });

  it('reports an engine that throws or returns the wrong size as XLING_ENGINE_FAILED', () => {
    setEngineMinWork(1);
    const throwing: ProductEngine = {
      name: 'broken',
      multiply() {
        throw new Error('out of memory');
      },
    };
    expect(() => orthogonalProcrustes(x, y, { engine: throwing })).toThrow(
      expect.objectContaining({
        code: 'XLING_ENGINE_FAILED',
        message: expect.stringMatching(
          /engine 'broken' failed on a 12 x 60 by 60 x 12 product: out of memory/,
        ),
      }),
    );
    const short: ProductEngine = { name: 'short', multiply: () => new Float64Array(3) };
    expect(() => linearCka(x, y, { engine: short })).toThrow(
      /engine 'short' returned 3 values for a 12 x 12 product \(expected a Float64Array of 144\)/,
    );
  });

  it('rejects an engine option without a multiply method', () => {
    expect(() => cca(x, y, { engine: {} as ProductEngine })).toThrow(
      "Argument 'options.engine' passed to 'cca' must be an object with method multiply, but got an object without those methods.",
    );
  });
});
