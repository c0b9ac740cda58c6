import type { Matrix, Rng } from '@xling/core';
import { type Matrix64, matmul, squaredDistances } from '../internal/linalg.js';

/** Relative residual norm below which a class mean adds no new direction. */
const RANK_TOLERANCE = 1e-10;
/** Scale of the entries of W's columns beyond the class means' span: they start almost silent. */
const FILL_SCALE = 1e-4;
/** Largest alpha times the mean squared distance: logits beyond this spread are saturated. */
const MAX_LOGIT_SCALE = 64;

/**
 * An initial probe W (d × k, row-major) at which the probe already is the nearest class mean
 * classifier: W = sqrt(alpha) Q, Q an orthonormal basis of the centred class means' span. Since
 * x - mu_c = (x - mu) + (mu - mu_c) and the second term lies in that span, ||Q^T (x - mu_c)||^2 and
 * ||x - mu_c||^2 differ by a term that is the same for every class: with k >= m - 1 and uniform
 * class priors the untrained probe predicts what Euclidean nearest class mean predicts (up to the
 * tiny extra columns below); with empirical priors it adds log(n_c / n) / alpha to the ranking, the
 * calibrated Gaussian rule. With fewer columns than the span needs, Q holds the span's k principal
 * directions (the most between-class spread). alpha is the temperature that
 * minimises the fitting set's cross-entropy (convex in alpha), so training starts calibrated.
 * Columns beyond the span get tiny random entries: a zero column would never move.
 */
export function classMeansInit(
  x: Matrix,
  target: Int32Array,
  means: Matrix64,
  bias: Float64Array,
  k: number,
  rng: Rng,
): Float64Array {
  const q = meanSpanBasis(means, k);
  const r = q.length;
  const d = means.cols;
  const basis: Matrix64 = { rows: d, cols: r, data: new Float64Array(d * r) };
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) basis.data[i * r + j] = q[j][i];
  const alpha =
    r === 0 ? 0 : bestTemperature(squaredDistances(matmul(x, basis), matmul(means, basis)), target, bias);
  const weights = new Float64Array(d * k);
  const fill = FILL_SCALE / Math.sqrt(d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < k; j++)
      weights[i * k + j] = j < r ? Math.sqrt(alpha) * q[j][i] : (rng.next() - 0.5) * 2 * fill;
  return weights;
}

/**
 * Up to k orthonormal directions of the class means minus their average: the whole span when its
 * rank is at most k, else its k principal directions (the ones keeping the most between-class
 * spread).
 */
function meanSpanBasis(means: Matrix64, k: number): Float64Array[] {
  const centred = centredRows(means);
  const span = spanBasis(centred.map((v) => v.slice()));
  if (span.length <= k) return span;
  // Coordinates of the centred means in the span (m x r), then the top-k eigenvectors of their
  // r x r scatter rotate the span basis onto the principal directions.
  const d = means.cols;
  const r = span.length;
  const scatter = new Float64Array(r * r);
  for (const row of centred) {
    const y = span.map((q) => dot(row, q));
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) scatter[i * r + j] += y[i] * y[j];
  }
  return topEigenvectors(scatter, r, k).map((v) => {
    const q = new Float64Array(d);
    v.forEach((w, i) => {
      for (let t = 0; t < d; t++) q[t] += w * span[i][t];
    });
    return q;
  });
}

/** The class means minus their average, one array per class. */
function centredRows(means: Matrix64): Float64Array[] {
  const { rows: m, cols: d } = means;
  const centre = new Float64Array(d);
  for (let c = 0; c < m; c++) for (let i = 0; i < d; i++) centre[i] += means.data[c * d + i] / m;
  return Array.from({ length: m }, (_, c) =>
    Float64Array.from({ length: d }, (_, i) => means.data[c * d + i] - centre[i]),
  );
}

/**
 * An orthonormal basis of the span of the centred class means (`residuals`, consumed): Gram-Schmidt
 * with re-orthogonalisation, each step taking the mean farthest from the span so far (column
 * pivoting).
 */
function spanBasis(residuals: Float64Array[]): Float64Array[] {
  const scale = Math.max(0, ...residuals.map(norm));
  const basis: Float64Array[] = [];
  while (basis.length < residuals.length && scale > 0) {
    const sizes = residuals.map(norm);
    const at = sizes.indexOf(Math.max(...sizes));
    const pivot = residuals[at];
    const size = sizes[at];
    if (size <= RANK_TOLERANCE * scale) break;
    const q = pivot.map((e) => e / size);
    for (let pass = 0; pass < 2; pass++) for (const b of basis) project(q, b);
    const again = norm(q);
    basis.push(q.map((e) => e / again));
    for (const v of residuals) project(v, basis[basis.length - 1]);
  }
  return basis;
}

/**
 * Eigenvectors of the k largest eigenvalues of a symmetric r x r matrix (row-major), by cyclic
 * Jacobi rotations until the off-diagonal part is negligible.
 */
function topEigenvectors(a: Float64Array, r: number, k: number): Float64Array[] {
  const s = a.slice();
  const v = new Float64Array(r * r);
  for (let i = 0; i < r; i++) v[i * r + i] = 1;
  const total = Math.sqrt(s.reduce((acc, x) => acc + x * x, 0));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < r; p++) for (let q = p + 1; q < r; q++) off += s[p * r + q] ** 2;
    if (Math.sqrt(off) <= 1e-15 * total) break;
    for (let p = 0; p < r; p++)
      for (let q = p + 1; q < r; q++) {
        const apq = s[p * r + q];
        if (apq === 0) continue;
        const theta = (s[q * r + q] - s[p * r + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        // S <- J^T S J (columns, then rows p and q), V <- V J.
        rotate(s, p, q, r, r, c, sn);
        rotate(s, p * r, q * r, 1, r, c, sn);
        rotate(v, p, q, r, r, c, sn);
      }
  }
  const order = Array.from({ length: r }, (_, i) => i).sort((i, j) => s[j * r + j] - s[i * r + i]);
  return order.slice(0, k).map((j) => Float64Array.from({ length: r }, (_, i) => v[i * r + j]));
}

/** The plane rotation (c, s) of the `count` element pairs a[p + i step], a[q + i step]. */
function rotate(
  a: Float64Array,
  p: number,
  q: number,
  step: number,
  count: number,
  c: number,
  s: number,
): void {
  for (let i = 0; i < count; i++) {
    const x = a[p + i * step];
    const y = a[q + i * step];
    a[p + i * step] = c * x - s * y;
    a[q + i * step] = s * x + c * y;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i] * b[i];
  return t;
}

/** Removes from v its component along the unit vector u. */
function project(v: Float64Array, u: Float64Array): void {
  const along = dot(v, u);
  for (let i = 0; i < v.length; i++) v[i] -= along * u[i];
}

function norm(v: Float64Array): number {
  return Math.sqrt(dot(v, v));
}

/**
 * The alpha >= 0 minimising the mean cross-entropy of softmax_c(-alpha D_ic + b_c) at the targets,
 * by bisection on its derivative mean_i (D_iy - E_p[D_i]), which increases with alpha. Separable
 * data has no finite minimiser: alpha then stops at MAX_LOGIT_SCALE / mean(D), where the softmax
 * is long saturated.
 */
function bestTemperature(dist: Matrix64, target: Int32Array, bias: Float64Array): number {
  let meanD = 0;
  for (const v of dist.data) meanD += v / dist.data.length;
  if (!(meanD > 0)) return 0;
  let lo = 0;
  let hi = 1 / meanD;
  while (hi < MAX_LOGIT_SCALE / meanD && slope(dist, target, bias, hi) < 0) [lo, hi] = [hi, hi * 2];
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (slope(dist, target, bias, mid) < 0) lo = mid;
    else hi = mid;
  }
  // When the distances do not lower the loss at all (the slope at 0 is >= 0), alpha would be 0 and
  // W zero, a point gradient descent cannot leave: keep a small positive scale instead.
  return Math.max(lo, 1e-6 / meanD);
}

/** d/d alpha of the mean cross-entropy at alpha. */
function slope(dist: Matrix64, target: Int32Array, bias: Float64Array, alpha: number): number {
  const m = dist.cols;
  let total = 0;
  for (let i = 0; i < dist.rows; i++) {
    let top = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < m; c++) top = Math.max(top, bias[c] - alpha * dist.data[i * m + c]);
    let z = 0;
    let expected = 0;
    for (let c = 0; c < m; c++) {
      const p = Math.exp(bias[c] - alpha * dist.data[i * m + c] - top);
      z += p;
      expected += p * dist.data[i * m + c];
    }
    total += dist.data[i * m + target[i]] - expected / z;
  }
  return total / dist.rows;
}
