import { blockedBidiagonal, useBlockedBidiagonal } from './blocked-bidiagonal.js';
import { bidiagonalSingularValues, golubKahanSvd } from './golub-kahan-svd.js';
import { type Compute, ON_CALLING_THREAD } from './threads.js';

/** A thin SVD `A = U diag(s) V^T`: `u` is m x k, `v` is n x k (both row-major), `s` descending. */
export interface Svd {
  u: Float64Array;
  s: Float64Array;
  v: Float64Array;
  m: number;
  n: number;
  k: number;
}

const EPS = 2.220446049250313e-16;

/**
 * One-sided Jacobi SVD (Hestenes) of a row-major m x n matrix with m >= n. Orthogonal plane
 * rotations are applied to pairs of columns until every pair is orthogonal to working precision;
 * singular values then come out with high relative accuracy (Demmel & Veselic 1992), which is
 * what lets the thin Procrustes path agree with scipy's LAPACK SVD to ~1e-15.
 * Columns of A are held as contiguous rows of a working copy so the inner loops are sequential.
 *
 * @see Demmel & Veselic, "Jacobi's method is more accurate than QR", SIAM J. Matrix Anal. Appl. 13 (1992)
 */
function jacobiSvdTall(a: Float64Array, m: number, n: number): Svd {
  const w = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a[i * n + j];
  const vt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) vt[j * n + j] = 1;
  const norms = new Float64Array(n);
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < m; t++) s += w[j * m + t] * w[j * m + t];
      norms[j] = s;
    }
    for (let p = 0; p < n - 1; p++) {
      const wp = p * m;
      for (let q = p + 1; q < n; q++) {
        const wq = q * m;
        const alpha = norms[p];
        const beta = norms[q];
        if (alpha === 0 || beta === 0) continue;
        let gamma = 0;
        for (let t = 0; t < m; t++) gamma += w[wp + t] * w[wq + t];
        if (Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const tan = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + tan * tan);
        const sn = c * tan;
        for (let t = 0; t < m; t++) {
          const x = w[wp + t];
          const y = w[wq + t];
          w[wp + t] = c * x - sn * y;
          w[wq + t] = sn * x + c * y;
        }
        const vp = p * n;
        const vq = q * n;
        for (let t = 0; t < n; t++) {
          const x = vt[vp + t];
          const y = vt[vq + t];
          vt[vp + t] = c * x - sn * y;
          vt[vq + t] = sn * x + c * y;
        }
        norms[p] = alpha - tan * gamma;
        norms[q] = beta + tan * gamma;
      }
    }
    if (!rotated) break;
  }
  const sigma = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let scale = 0;
    for (let t = 0; t < m; t++) scale = Math.max(scale, Math.abs(w[j * m + t]));
    let s = 0;
    if (scale > 0) for (let t = 0; t < m; t++) s += (w[j * m + t] / scale) ** 2;
    sigma[j] = scale * Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => sigma[y] - sigma[x] || x - y);
  const u = new Float64Array(m * n);
  const v = new Float64Array(n * n);
  const s = new Float64Array(n);
  const tiny = (sigma[order[0]] ?? 0) * Math.max(m, n) * EPS;
  const zeroColumns: number[] = [];
  for (let k = 0; k < n; k++) {
    const j = order[k];
    s[k] = sigma[j];
    for (let t = 0; t < n; t++) v[t * n + k] = vt[j * n + t];
    if (sigma[j] > tiny && sigma[j] > 0) {
      for (let t = 0; t < m; t++) u[t * n + k] = w[j * m + t] / sigma[j];
    } else {
      zeroColumns.push(k);
    }
  }
  completeOrthonormalColumns(u, m, n, zeroColumns);
  return { u, s, v, m, n, k: n };
}

/**
 * Fills the listed columns of `u` (m x n) with unit vectors orthogonal to all other columns
 * (Gram-Schmidt, twice, over the standard basis), so U stays orthonormal for (near-)zero
 * singular values, as LAPACK's U is.
 */
export function completeOrthonormalColumns(u: Float64Array, m: number, n: number, columns: number[]): void {
  if (columns.length === 0) return;
  const pending = new Set(columns);
  let basis = 0;
  for (const k of columns) {
    for (; basis < m; basis++) {
      const x = new Float64Array(m);
      x[basis] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < n; c++) {
          if (c === k || pending.has(c)) continue;
          let dot = 0;
          for (let t = 0; t < m; t++) dot += u[t * n + c] * x[t];
          for (let t = 0; t < m; t++) x[t] -= dot * u[t * n + c];
        }
      }
      let norm = 0;
      for (let t = 0; t < m; t++) norm += x[t] * x[t];
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let t = 0; t < m; t++) u[t * n + k] = x[t] / norm;
        pending.delete(k);
        basis++;
        break;
      }
    }
  }
}

/**
 * The power of two that brings the largest |entry| into [2^-100, 2^100], or 0 when it already is
 * (or the matrix is zero). The SVD loops test convergence against eps * |value|, which underflows
 * for subnormal data (QR sweeps that never deflate), and norms of huge data overflow; scaling by
 * a power of two is exact, and LAPACK's drivers do the same (dgesvd's anrm / smlnum / bignum).
 */
function safeScalePower(a: Float64Array, length: number): number {
  let largest = 0;
  for (let k = 0; k < length; k++) largest = Math.max(largest, Math.abs(a[k]));
  if (largest === 0 || (largest >= 2 ** -100 && largest <= 2 ** 100)) return 0;
  return Math.ceil(Math.log2(largest));
}

/**
 * `values * 2^power`, in place when `out` is `values`. Two half-steps, so the factor itself never
 * overflows or goes subnormal (2^1063 does not exist in float64; 2^531 twice does).
 */
function scaleByPowerOfTwo(
  values: Float64Array,
  length: number,
  power: number,
  out: Float64Array,
): Float64Array {
  const half = Math.trunc(power / 2);
  const f1 = 2 ** half;
  const f2 = 2 ** (power - half);
  for (let k = 0; k < length; k++) out[k] = values[k] * f1 * f2;
  return out;
}

/** Matrices up to this size use Jacobi; larger ones Golub-Kahan-Reinsch (golub-kahan-svd.ts). */
const JACOBI_LIMIT = 96;

/**
 * The thin SVD of data already in a safe range. Small matrices (the n x n cores of the thin
 * paths) use one-sided Jacobi for its relative accuracy; larger ones a flat-array port of JAMA's Golub-Kahan-Reinsch SVD, which with
 * `threads >= 2` forms and rotates V on a pool worker (bit-identical to `threads = 1`).
 */
function thinSvdUnscaled(a: Float64Array, m: number, n: number, threads: number): Svd {
  if (m === 0 || n === 0) {
    return { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0), m, n, k: 0 };
  }
  if (Math.min(m, n) <= JACOBI_LIMIT) {
    if (m >= n) return jacobiSvdTall(a, m, n);
    const at = transposeData(a, m, n);
    const t = jacobiSvdTall(at, n, m);
    return { u: t.v, s: t.s, v: t.u, m, n, k: m };
  }
  if (m >= n) return golubKahanSvd(a, m, n, true, threads);
  const t = golubKahanSvd(transposeData(a, m, n), n, m, true, threads);
  return { u: t.v, s: t.s, v: t.u, m, n, k: t.k };
}

/**
 * Thin SVD of a row-major m x n matrix (k = min(m, n) singular triplets, descending), with
 * data scaled into a safe range first (see safeScalePower): the vectors do not change, the
 * singular values are scaled back.
 */
export function thinSvd(a: Float64Array, m: number, n: number, threads = 1): Svd {
  const power = safeScalePower(a, m * n);
  if (power === 0) return thinSvdUnscaled(a, m, n, threads);
  const svd = thinSvdUnscaled(scaleByPowerOfTwo(a, m * n, -power, new Float64Array(m * n)), m, n, threads);
  scaleByPowerOfTwo(svd.s, svd.s.length, power, svd.s);
  return svd;
}

/** Row-major transpose of an m x n array. */
export function transposeData(a: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
  return out;
}

/**
 * Singular values only (descending) of a row-major m x n matrix, by Golub-Kahan-Reinsch at every
 * size: backward stable, so each value is accurate to ~eps * ||A|| in absolute terms, which is
 * what sums of singular values (nuclear norms, Procrustes disparities) need, and several times
 * cheaper than Jacobi for small matrices. From min(m, n) = 128 up the bidiagonal form comes from
 * LAPACK's blocked reduction (blocked-bidiagonal.ts), whose trailing updates are products on
 * `compute` (the engine when given); below, from JAMA's unblocked one.
 */
export function singularValues(
  a: Float64Array,
  m: number,
  n: number,
  compute: Compute = ON_CALLING_THREAD,
): Float64Array {
  const power = safeScalePower(a, m * n);
  if (power === 0) return singularValuesUnscaled(a, m, n, compute);
  const s = singularValuesUnscaled(
    scaleByPowerOfTwo(a, m * n, -power, new Float64Array(m * n)),
    m,
    n,
    compute,
  );
  return scaleByPowerOfTwo(s, s.length, power, s);
}

function singularValuesUnscaled(a: Float64Array, m: number, n: number, compute: Compute): Float64Array {
  if (m === 0 || n === 0) return new Float64Array(0);
  if (!useBlockedBidiagonal(m, n)) {
    return m >= n ? golubKahanSvd(a, m, n, false).s : golubKahanSvd(transposeData(a, m, n), n, m, false).s;
  }
  const tall = m >= n ? a : transposeData(a, m, n);
  const rows = Math.max(m, n);
  const cols = Math.min(m, n);
  const { s, e } = blockedBidiagonal(tall, rows, cols, compute);
  // |B| has the singular values of B (diagonal sign changes), and the chase's deflation tests
  // assume a nonnegative diagonal.
  for (let j = 0; j < cols; j++) {
    s[j] = Math.abs(s[j]);
    e[j] = Math.abs(e[j]);
  }
  bidiagonalSingularValues(s, e, rows, cols, cols);
  return s;
}
