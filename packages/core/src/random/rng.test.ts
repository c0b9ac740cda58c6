import { describe, expect, it } from 'vitest';
import { createRng, xoshiro128StarStar } from './rng.js';
import { sampleIndices } from './sample.js';

describe('createRng(seed)', () => {
  it('createRng(seed) repeats the same stream for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });

  it('createRng(seed) gives different streams for different seeds', () => {
    const a = Array.from({ length: 8 }, createRng(1).next);
    const b = Array.from({ length: 8 }, createRng(2).next);
    expect(a).not.toEqual(b);
  });

  it('xoshiro128StarStar(state) matches the reference outputs of the C implementation', () => {
    // First outputs of xoshiro128** (Blackman & Vigna's xoshiro128starstar.c) from state {1, 2, 3, 4}.
    const next = xoshiro128StarStar(new Uint32Array([1, 2, 3, 4]));
    expect(Array.from({ length: 6 }, next)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('rng.fillUint32(out) is the nextUint32 stream, and the generator goes on after it as after those draws', () => {
    const a = createRng(42);
    const b = createRng(42);
    a.next();
    b.next();
    const filled = a.fillUint32(new Uint32Array(1000));
    const drawn = Uint32Array.from({ length: 1000 }, () => b.nextUint32());
    expect(filled).toEqual(drawn);
    expect(Math.max(...filled)).toBeGreaterThan(2 ** 31); // unsigned, not int32
    expect([a.nextUint32(), a.next()]).toEqual([b.nextUint32(), b.next()]);
    expect(a.fillUint32(new Uint32Array(0))).toHaveLength(0);
  });

  it('rng.next() is uniform on [0, 1): mean, variance and range over 200k draws', () => {
    const rng = createRng(7);
    let sum = 0;
    let sq = 0;
    let min = 1;
    let max = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      sum += x;
      sq += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('rng.normal() has mean 0 and variance 1', () => {
    const rng = createRng(3);
    let sum = 0;
    let sq = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02);
  });

  it('rng.int(n) covers [0, n) evenly (chi-square)', () => {
    const rng = createRng(11);
    const counts = new Array(7).fill(0);
    const n = 70_000;
    for (let i = 0; i < n; i++) counts[rng.int(7)]++;
    const chi = counts.reduce((acc, c) => acc + (c - n / 7) ** 2 / (n / 7), 0);
    expect(chi).toBeLessThan(22.5); // p = 0.001 for 6 degrees of freedom
  });

  it('rng.int(n) throws XLING_INVALID_ARGUMENT for n <= 0', () => {
    expect(() => createRng(1).int(0)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
  });

  it('rng.shuffle(items) permutes a copy and leaves the input alone', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = createRng(5).shuffle(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(out).toEqual(createRng(5).shuffle(items));
  });

  it('rng.fork(label) depends only on seed and label, not on earlier draws', () => {
    const a = createRng(9);
    const b = createRng(9);
    for (let i = 0; i < 10; i++) b.next();
    expect(a.fork('en').next()).toBe(b.fork('en').next());
    expect(a.fork('en').next()).not.toBe(a.fork('de').next());
    expect(a.fork(1).next()).not.toBe(a.fork(2).next());
  });

  it('createRng(seed) throws XLING_INVALID_ARGUMENT for a non-integer seed', () => {
    expect(() => createRng(1.5)).toThrow(/Argument 'seed' passed to 'createRng' must be an integer/);
  });
});

describe('sampleIndices(n, k, rng)', () => {
  it('sampleIndices(n, k, rng) returns k distinct indices in [0, n)', () => {
    const out = sampleIndices(50, 20, createRng(1));
    expect(new Set(out).size).toBe(20);
    for (const i of out) expect(i >= 0 && i < 50).toBe(true);
  });

  it('sampleIndices(n, n, rng) is a permutation', () => {
    expect([...sampleIndices(10, 10, createRng(2))].sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('sampleIndices(n, k, rng) throws XLING_INVALID_ARGUMENT when k > n', () => {
    expect(() => sampleIndices(3, 4, createRng(1))).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});
