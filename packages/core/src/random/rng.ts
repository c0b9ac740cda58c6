import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * A seeded pseudo-random generator. Every stochastic function in xling takes one (or a seed),
 * so that the same seed gives the same numbers on every machine.
 */
export interface Rng {
  /** The seed this generator was created from. */
  readonly seed: number;
  /** Uniform float in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /**
   * Fills `out` with the next `out.length` draws of {@link nextUint32}, in order (the same
   * stream, several times faster for large buffers such as dropout masks); returns `out`.
   */
  fillUint32(out: Uint32Array): Uint32Array;
  /** Uniform integer in [0, n) without modulo bias. */
  int(n: number): number;
  /** Standard normal draw (Box–Muller, no caching, so streams stay easy to reason about). */
  normal(): number;
  /** Fisher–Yates shuffle of a copy of `items`. */
  shuffle<T>(items: readonly T[]): T[];
  /**
   * An independent generator for a named sub-task (a language, an episode). It depends only on
   * this generator's seed and `label`, not on how many numbers were drawn before, so adding a
   * language does not change the numbers of the others.
   */
  fork(label: string | number): Rng;
}

/** SplitMix32 finaliser (Steele et al.): spreads a 32-bit value over all bits. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a hash of a string, for fork labels. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Creates a generator: xoshiro128** (Blackman & Vigna 2018), state seeded by SplitMix32 from
 * `seed`. Fast in 32-bit JS integer arithmetic, period 2^128 - 1, passes BigCrush.
 *
 * @param seed - any integer (taken modulo 2^32)
 * @throws XLING_INVALID_ARGUMENT when `seed` is not a finite integer.
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new InvalidArgumentError('seed', 'createRng', `must be an integer, but got ${seed}.`);
  }
  const s = new Uint32Array(4);
  let z = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    z = (z + 0x9e3779b9) >>> 0;
    s[i] = mix32(z);
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;

  const nextUint32 = xoshiro128StarStar(s);

  function fillUint32(out: Uint32Array): Uint32Array {
    // xoshiro128** with the state in locals (int32 registers) rather than the Uint32Array.
    let s0 = s[0] | 0;
    let s1 = s[1] | 0;
    let s2 = s[2] | 0;
    let s3 = s[3] | 0;
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(s1, 5);
      out[i] = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return out;
  }

  function next(): number {
    // 53 bits: 27 from the first draw, 26 from the second, as in V8's and numpy's doubles.
    const a = nextUint32() >>> 5;
    const b = nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  function int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) {
      throw new InvalidArgumentError('n', 'Rng.int', `must be an integer in [1, 2^32], but got ${n}.`);
    }
    // Rejection sampling removes the bias of `x % n`.
    const limit = 0x100000000 - (0x100000000 % n);
    let x = nextUint32();
    while (x >= limit) x = nextUint32();
    return x % n;
  }

  function normal(): number {
    let u = next();
    while (u === 0) u = next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  function shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  function fork(label: string | number): Rng {
    const h = typeof label === 'number' ? mix32(label >>> 0) : hashLabel(label);
    return createRng(mix32((seed >>> 0) ^ Math.imul(h, 0x9e3779b1)));
  }

  return { seed, next, nextUint32, fillUint32, int, normal, shuffle, fork };
}

/**
 * The xoshiro128** step over a 4-word state (mutated in place): returns the next 32-bit output.
 * Internal; exported for the reference-vector test.
 */
export function xoshiro128StarStar(s: Uint32Array): () => number {
  return () => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
