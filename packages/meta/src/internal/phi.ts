import type { Rng } from '@xling/core';
import { matmulInto } from './linalg.js';

/**
 * Parameters of phi(x) = W2 . Dropout(LeakyReLU_0.2(W1 x + b1)) + b2 (METHOD.md section 5),
 * stored row-major for right-multiplication: w1 is `d × h`, w2 is `h × k`.
 */
export interface PhiParams {
  d: number;
  h: number;
  k: number;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

/** Xavier-normal weights (std sqrt(2 / (fan_in + fan_out))), zero biases. */
export function initPhi(d: number, h: number, k: number, rng: Rng): PhiParams {
  const w1 = new Float64Array(d * h);
  const std1 = Math.sqrt(2 / (d + h));
  for (let i = 0; i < w1.length; i++) w1[i] = rng.normal() * std1;
  const w2 = new Float64Array(h * k);
  const std2 = Math.sqrt(2 / (h + k));
  for (let i = 0; i < w2.length; i++) w2[i] = rng.normal() * std2;
  return { d, h, k, w1, b1: new Float64Array(h), w2, b2: new Float64Array(k) };
}

/** LeakyReLU negative slope of phi. */
export const LEAKY_SLOPE = 0.2;

/**
 * phi on rows of x (n × d) in float64, evaluation mode (no dropout), or with an explicit
 * dropout `mask` (n × h, entries 0 or 1 / (1 - p)) to mirror a training step.
 */
export function phiForward(
  x: ArrayLike<number>,
  n: number,
  p: PhiParams,
  mask?: ArrayLike<number>,
): Float64Array {
  const hidden = matmulInto(x, p.w1, new Float64Array(n * p.h), n, p.d, p.h);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p.h; j++) {
      let v = hidden[i * p.h + j] + p.b1[j];
      v = v > 0 ? v : LEAKY_SLOPE * v;
      hidden[i * p.h + j] = mask === undefined ? v : v * mask[i * p.h + j];
    }
  }
  const out = matmulInto(hidden, p.w2, new Float64Array(n * p.k), n, p.h, p.k);
  for (let i = 0; i < n; i++) for (let j = 0; j < p.k; j++) out[i * p.k + j] += p.b2[j];
  return out;
}

/** Applies z -> z A^T + c to rows of z (n × k) in place of a new array. */
export function applyAdapter(
  z: Float64Array,
  n: number,
  k: number,
  a: ArrayLike<number>,
  c: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      let s = c[r];
      for (let j = 0; j < k; j++) s += a[r * k + j] * z[i * k + j];
      out[i * k + r] = s;
    }
  }
  return out;
}

/** Rows q_c = U p_c of prototypes p (m × k): p U^T. */
export function mapPrototypes(
  p: ArrayLike<number>,
  m: number,
  k: number,
  u: ArrayLike<number>,
): Float64Array {
  return applyAdapter(Float64Array.from(p), m, k, u, new Float64Array(k));
}
