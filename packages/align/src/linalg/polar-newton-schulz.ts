import { createRng } from '@xling/core';
import { cholesky } from './cholesky.js';
import { productNN, productTN } from './products.js';
import type { Compute } from './threads.js';

/** Steps before giving up (M nearly singular: too ill-conditioned for this route). */
const MAX_STEPS = 60;
/** `||X^T X - I||_F` below which one more (quadratically convergent) step reaches rounding level. */
const CONVERGED = 1e-9;
/** Iterations of the power and inverse iterations that estimate the extreme singular values. */
const ESTIMATE_ITERATIONS = 8;

/** A unit vector from a fixed pseudo-random stream (a start no input can be orthogonal to by design). */
function startVector(d: number): Float64Array {
  const rng = createRng(0x9e3779b9);
  const v = Float64Array.from({ length: d }, () => rng.normal());
  return normalized(v);
}

function normalized(v: Float64Array): Float64Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/** `||A v||` after power iterations on a symmetric positive semidefinite A: lambda_max from below. */
function largestEigenvalue(a: Float64Array, d: number): number {
  let v = startVector(d);
  let lambda = 0;
  for (let it = 0; it < ESTIMATE_ITERATIONS; it++) {
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += a[i * d + j] * v[j];
      w[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += w[i] * w[i];
    lambda = Math.sqrt(norm);
    if (!(lambda > 0)) return 0;
    v = normalized(w);
  }
  return lambda;
}

/** `1 / ||A^{-1} v||` after inverse iterations with A = L L^T: lambda_min from above. */
function smallestEigenvalue(l: Float64Array, d: number): number {
  let v = startVector(d);
  let lambda = 0;
  for (let it = 0; it < ESTIMATE_ITERATIONS; it++) {
    const z = Float64Array.from(v);
    for (let i = 0; i < d; i++) {
      let s = z[i];
      for (let k = 0; k < i; k++) s -= l[i * d + k] * z[k];
      z[i] = s / l[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      const zi = z[i] / l[i * d + i];
      z[i] = zi;
      for (let k = 0; k < i; k++) z[k] -= l[i * d + k] * zi;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += z[i] * z[i];
    lambda = 1 / Math.sqrt(norm);
    v = normalized(z);
  }
  return lambda;
}

/**
 * The orthogonal polar factor `R = U V^T` of a square d x d matrix `M = U S V^T`, and
 * `trace(R^T M)` (the sum of the singular values), by a scaled Newton-Schulz iteration:
 * `X <- X (3a/2 I - a^3/2 X^T X)`, i.e. `p(a X)` with `p(t) = 3t/2 - t^3/2`. With the singular
 * values in [l, 1], a = sqrt(3 / (1 + l + l^2)) maps them onto [p(a l), 1] (the optimal cubic
 * step), so small ones grow ~2.6x per step instead of 1.5x; the last steps are plain,
 * quadratically convergent Newton-Schulz. Each step is two d x d products, so with a product
 * engine this is several times faster than an SVD.
 *
 * The extreme singular values are estimated from `A = X^T X` (power iteration; inverse iteration
 * on its Cholesky factor, which fails first when M is nearly singular), X is scaled so the
 * largest is about 1, and the first step is plain (a = 1: every value below sqrt 3 lands in
 * (0, 1]), so the estimates only steer the speed. The answer is then verified, not assumed: R is
 * orthogonal to rounding (the stopping test) and `H = R^T M` must be symmetric positive definite
 * (Cholesky); by uniqueness of the polar decomposition of a nonsingular M that makes R its polar
 * factor. Returns null when M is nearly singular, the iteration does not converge within
 * MAX_STEPS, or the check fails: the caller then uses the SVD, which also defines R there.
 *
 * @see Higham, "Functions of Matrices" (2008), section 8.3 (Newton-Schulz for the polar
 * decomposition) and Theorem 8.1 (uniqueness); Chen & Chow, "A stable scaling of Newton-Schulz
 * for improving the sign function computation of a Hermitian matrix" (2014)
 */
export function polarNewtonSchulz(
  m: Float64Array,
  d: number,
  compute: Compute,
): { rotation: Float64Array; nuclear: number } | null {
  // Scaled by the largest entry first, so the Frobenius norm neither overflows nor underflows.
  let maxEntry = 0;
  for (let k = 0; k < d * d; k++) maxEntry = Math.max(maxEntry, Math.abs(m[k]));
  if (!(maxEntry > 0) || !Number.isFinite(maxEntry)) return null;
  let x: Float64Array = new Float64Array(d * d);
  let frobenius = 0;
  for (let k = 0; k < d * d; k++) {
    x[k] = m[k] / maxEntry;
    frobenius += x[k] * x[k];
  }
  frobenius = Math.sqrt(frobenius);
  for (let k = 0; k < d * d; k++) x[k] /= frobenius;
  let gram = productTN(x, x, d, d, d, compute);
  const factor = cholesky(gram, d, compute);
  if (factor === null) return null;
  const largest = largestEigenvalue(gram, d);
  const smallest = smallestEigenvalue(factor, d);
  const top = 1.01 * Math.sqrt(largest);
  for (let k = 0; k < d * d; k++) {
    x[k] /= top;
    gram[k] /= top * top;
  }
  let lower = Math.min(1, Math.sqrt(smallest) / top);
  for (let step = 0; step < MAX_STEPS; step++) {
    if (step > 0) gram = productTN(x, x, d, d, d, compute);
    let residual = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const r = gram[i * d + j] - (i === j ? 1 : 0);
        residual += r * r;
      }
    }
    if (!Number.isFinite(residual)) return null;
    const a = step === 0 || lower >= 1 ? 1 : Math.sqrt(3 / (1 + lower + lower * lower));
    // X <- X B with B = 3a/2 I - a^3/2 X^T X
    const c = -0.5 * a * a * a;
    for (let k = 0; k < d * d; k++) gram[k] *= c;
    for (let i = 0; i < d; i++) gram[i * d + i] += 1.5 * a;
    x = productNN(x, gram, d, d, d, compute);
    // Within CONVERGED, this last step took X^T X to rounding level (the error squares).
    if (Math.sqrt(residual) < CONVERGED) return verified(x, m, d, compute);
    lower = Math.min(1, 1.5 * a * lower - 0.5 * (a * lower) ** 3);
  }
  return null;
}

/** `{ rotation: r, nuclear: trace(r^T m) }` when `r^T m` is symmetric positive definite, else null. */
function verified(
  r: Float64Array,
  m: Float64Array,
  d: number,
  compute: Compute,
): { rotation: Float64Array; nuclear: number } | null {
  const h = productTN(r, m, d, d, d, compute);
  let largest = 0;
  let asymmetry = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      largest = Math.max(largest, Math.abs(h[i * d + j]));
      const mean = 0.5 * (h[i * d + j] + h[j * d + i]);
      asymmetry = Math.max(asymmetry, Math.abs(h[i * d + j] - mean));
      h[i * d + j] = mean;
      h[j * d + i] = mean;
    }
  }
  if (!(asymmetry <= 1e-6 * largest)) return null;
  let nuclear = 0;
  for (let i = 0; i < d; i++) nuclear += h[i * d + i];
  if (cholesky(h, d, compute) === null) return null;
  return { rotation: r, nuclear };
}
