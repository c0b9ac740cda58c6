import type { Matrix, Rng } from '@xling/core';
import { type Matrix64, addRowInPlace, matmul, repeatRow } from './linalg.js';

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
export function phiForward(x: Matrix, p: PhiParams, mask?: ArrayLike<number>): Matrix64 {
  const hidden = matmul(x, { rows: p.d, cols: p.h, data: p.w1 });
  const pre = hidden.data;
  for (let i = 0; i < pre.length; i++) {
    let v = pre[i] + p.b1[i % p.h];
    v = v > 0 ? v : LEAKY_SLOPE * v;
    pre[i] = mask === undefined ? v : v * mask[i];
  }
  return addRowInPlace(matmul(hidden, { rows: p.h, cols: p.k, data: p.w2 }), p.b2);
}

/** Rows g = A z + c of z (n × k) for an adapter A (k × k) and bias c: z A^T, each sum started at c. */
export function applyAdapter(z: Matrix, a: Matrix, c: ArrayLike<number>): Matrix64 {
  return matmul(z, a, { transpose: 'b', into: repeatRow(c, z.rows) });
}

/** Rows q_c = U p_c of prototypes p (m × k): p U^T. */
export function mapPrototypes(p: Matrix, u: Matrix): Matrix64 {
  return matmul(p, u, { transpose: 'b' });
}
