import { cca, linearCka, orthogonalProcrustes } from '@xling/align';
import { createRng } from '@xling/core';
import { afterAll, describe, expect, it } from 'vitest';
import { onnxruntimeEngine } from './onnxruntime-engine.js';

function random(length: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => rng.normal());
}

/** Textbook triple loop over the stored layouts: the independent reference. */
function reference(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++)
        s += (ta ? a[t * m + i] : a[i * k + t]) * (tb ? b[j * k + t] : b[t * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < b.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return diff / scale;
}

const engine = onnxruntimeEngine({ threads: 2 });
afterAll(() => engine.dispose());

describe('onnxruntimeEngine(options).multiply(a, b, shape)', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('computes op(A) op(B) in float64 (transposeA %s, transposeB %s)', (transposeA, transposeB) => {
    const [m, k, n] = [37, 129, 23];
    const a = random(m * k, 1);
    const b = random(k * n, 2);
    const c = engine.multiply(a, b, { m, k, n, transposeA, transposeB });
    expect(c).toBeInstanceOf(Float64Array);
    expect(c.length).toBe(m * n);
    expect(maxRelative(c, reference(a, b, m, k, n, transposeA, transposeB))).toBeLessThan(1e-14);
  });

  it('reads subarray views and SharedArrayBuffer views, and handles 1-row and 1-column shapes', () => {
    const backing = random(1000, 3);
    const a = backing.subarray(100, 100 + 5 * 40);
    const shared = new Float64Array(new SharedArrayBuffer(40 * 8 * 8));
    shared.set(random(40 * 8, 4));
    const c = engine.multiply(a, shared, { m: 5, k: 40, n: 8, transposeA: false, transposeB: false });
    expect(maxRelative(c, reference(a, shared, 5, 40, 8, false, false))).toBeLessThan(1e-14);
    const row = engine.multiply(random(7, 5), random(7, 6), {
      m: 1,
      k: 7,
      n: 1,
      transposeA: false,
      transposeB: true,
    });
    expect(row[0]).toBeCloseTo(reference(random(7, 5), random(7, 6), 1, 7, 1, false, true)[0], 12);
  });

  it('gives the same bits with 1 and 2 threads, run after run', () => {
    const [m, k, n] = [96, 2000, 96];
    const a = random(k * m, 7);
    const b = random(k * n, 8);
    const one = onnxruntimeEngine({ threads: 1 });
    const shape = { m, k, n, transposeA: true, transposeB: false };
    const first = one.multiply(a, b, shape);
    expect(one.multiply(a, b, shape)).toEqual(first);
    expect(engine.multiply(a, b, shape)).toEqual(first);
    one.dispose();
  });

  it('rejects bad options, short inputs and use after dispose', () => {
    expect(() => onnxruntimeEngine({ threads: 0 })).toThrow(
      "Argument 'options.threads' passed to 'onnxruntimeEngine' must be an integer >= 1, but got 0.",
    );
    expect(() =>
      engine.multiply(new Float64Array(3), new Float64Array(4), {
        m: 2,
        k: 2,
        n: 2,
        transposeA: false,
        transposeB: false,
      }),
    ).toThrow(/needs 4 and 4 values, but got 3 and 4/);
    const gone = onnxruntimeEngine({ threads: 1 });
    gone.dispose();
    expect(() =>
      gone.multiply(new Float64Array(1), new Float64Array(1), {
        m: 1,
        k: 1,
        n: 1,
        transposeA: false,
        transposeB: false,
      }),
    ).toThrow(/disposed/);
  });
});

describe('@xling/align functions with { engine: onnxruntimeEngine() }', () => {
  // Large enough that the products go to the engine (>= 2^21 multiply-adds).
  const [n, d] = [700, 64];
  const x = { rows: n, cols: d, data: random(n * d, 11) };
  const noise = random(n * d, 12);
  const y = { rows: n, cols: d, data: Float64Array.from(x.data, (v, i) => 0.7 * v + noise[i]) };

  it('orthogonalProcrustes, cca and linearCka agree with the built-in kernels to 1e-12', () => {
    const built = orthogonalProcrustes(x, y);
    const native = orthogonalProcrustes(x, y, { engine });
    expect(maxRelative(native.rotation.data, built.rotation.data)).toBeLessThan(1e-12);
    expect(native.scale).toBeCloseTo(built.scale, 9);
    expect(maxRelative(cca(x, y, { engine }).correlations, cca(x, y).correlations)).toBeLessThan(1e-12);
    expect(linearCka(x, y, { engine, threads: 2 })).toBeCloseTo(linearCka(x, y), 13);
  });
});
