import { createRng } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { dqdsSingularValues } from './dqds.js';
import { bidiagonalSingularValues, chase } from './golub-kahan-svd.js';

/** The QR chase's values of (s, e): the reference dqds must agree with. */
function byChase(s: Float64Array, e: Float64Array): Float64Array {
  const a = Float64Array.from(s, Math.abs);
  const b = Float64Array.from(e, Math.abs);
  chase(a, b, s.length, s.length, s.length, null, null, () => {});
  return a;
}

function byDqds(s: Float64Array, e: Float64Array): Float64Array {
  const out = Float64Array.from(s);
  expect(dqdsSingularValues(out, e, s.length)).toBe(true);
  return out;
}

function randomBidiagonal(n: number, seed: number, spread = 1): [Float64Array, Float64Array] {
  const rng = createRng(seed);
  const s = Float64Array.from({ length: n }, () => rng.normal() * spread ** rng.next());
  const e = Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? rng.normal() * spread ** rng.next() : 0));
  return [s, e];
}

describe('dqdsSingularValues (values of a bidiagonal)', () => {
  it.each([1, 2, 3, 4, 5, 10, 17, 37, 64, 150])('equals the QR chase at order %i (random signs)', (n) => {
    for (const seed of [1, 2, 3]) {
      const [s, e] = randomBidiagonal(n, seed * 100 + n);
      const expected = byChase(s, e);
      const got = byDqds(s, e);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-13 * expected[0]);
      for (let i = 1; i < n; i++) expect(got[i]).toBeLessThanOrEqual(got[i - 1]);
    }
  });

  it('gives the known values 2 cos(k pi / (2n + 1)) of the all-ones bidiagonal', () => {
    for (const n of [1, 2, 7, 40]) {
      const got = byDqds(new Float64Array(n).fill(1), new Float64Array(n).fill(1));
      for (let k = 1; k <= n; k++)
        expect(got[k - 1]).toBeCloseTo(2 * Math.cos((k * Math.PI) / (2 * n + 1)), 14);
    }
  });

  it('2 x 2: the values multiply to |ac| and their squares add to a^2 + b^2 + c^2', () => {
    for (const [a, b, c] of [
      [3, 4, 5],
      [1e-3, 2, 1e3],
      [-2, 0, 7],
      [0, 1, 1],
    ]) {
      const [x, y] = byDqds(Float64Array.from([a, c]), Float64Array.from([b, 0]));
      expect(x * y).toBeCloseTo(Math.abs(a * c), 12);
      expect((x * x + y * y) / (a * a + b * b + c * c)).toBeCloseTo(1, 14);
    }
  });

  it('a zero on the diagonal gives a zero value; a diagonal gives its sorted magnitudes; zeros give zeros', () => {
    const singular = byDqds(Float64Array.from([2, 0, 3, 1]), Float64Array.from([1, 1, 1, 0]));
    expect(singular[3]).toBeLessThan(1e-15);
    expect(Array.from(byDqds(Float64Array.from([1, -5, 3]), new Float64Array(3)))).toEqual([5, 3, 1]);
    expect(Array.from(byDqds(new Float64Array(4), new Float64Array(4)))).toEqual([0, 0, 0, 0]);
  });

  it('a graded bidiagonal (1 down to 1e-24): every value within 1e-15 ||B|| of the chase, the top ones to 1e-14', () => {
    // What the pipeline needs (sums of values) is absolute accuracy, which is all the chase gives.
    const n = 13;
    const s = Float64Array.from({ length: n }, (_, i) => 10 ** (-2 * i));
    const e = Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? 10 ** (-2 * i - 1) : 0));
    const got = byDqds(s, e);
    const expected = byChase(s, e);
    for (let i = 0; i < n; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-15 * expected[0]);
    for (let i = 0; i < 4; i++) expect(got[i] / expected[i]).toBeCloseTo(1, 14);
  });

  it('clustered values (repeated diagonal, tiny couplings) converge', () => {
    const s = new Float64Array(30).fill(1);
    const e = Float64Array.from({ length: 30 }, (_, i) => (i < 29 ? 1e-9 * (i + 1) : 0));
    const got = byDqds(s, e);
    const expected = byChase(s, e);
    for (let i = 0; i < 30; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-14);
  });

  it('tight clusters converge without the iteration cap (Laguerre overshoots them, then lands below)', () => {
    expect(byDqds(Float64Array.from([1, 1, 1]), Float64Array.from([1e-8, 1e-8, 0]))[0]).toBeCloseTo(1, 7);
    const rng = createRng(4);
    for (const w of [1e-8, 1e-10, 1e-13]) {
      for (let r = 0; r < 5; r++) {
        const s = Float64Array.from({ length: 37 }, () => 1 + w * rng.normal());
        const e = Float64Array.from({ length: 37 }, (_, i) => (i < 36 ? w * rng.normal() : 0));
        const expected = byChase(s, e);
        const got = byDqds(s, e);
        for (let i = 0; i < 37; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-14);
      }
    }
  });

  it('declines, leaving s untouched, entries that are not finite or whose squares would leave float64', () => {
    for (const [s, e] of [
      [
        [1, Number.NaN, 2],
        [1, 1, 0],
      ],
      [
        [1, Number.NaN],
        [1, 0],
      ],
      [
        [1, 2],
        [Number.POSITIVE_INFINITY, 0],
      ],
      [
        [1e-160, 1e-160],
        [1e-160, 0],
      ],
      [
        [1e155, 1],
        [1, 0],
      ],
      [
        [1, 1e-130],
        [0, 0],
      ],
    ]) {
      const values = Float64Array.from(s);
      expect(dqdsSingularValues(values, Float64Array.from(e), s.length)).toBe(false);
      expect(Array.from(values)).toEqual(s);
    }
  });

  it('bidiagonalSingularValues keeps the QR chase where entries span more than 1e100', () => {
    // 1e-130 squared underflows in dqds' arrays; the chase returns the decoupled value exactly.
    const s = Float64Array.from([1, 1e-130]);
    const e = new Float64Array(2);
    bidiagonalSingularValues(s, e, 2, 2, 2);
    expect(s[1]).toBe(1e-130);
  });
});
