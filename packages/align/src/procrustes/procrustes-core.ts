import { gemmNN, gemmNT, gemmTN } from '../linalg/gemm.js';
import { polarNewtonSchulz } from '../linalg/polar-newton-schulz.js';
import { crossProduct, productNT } from '../linalg/products.js';
import { thinQFromQr, thinQrOfRows } from '../linalg/thin-qr.js';
import { type Svd, singularValues, thinSvd } from '../linalg/thin-svd.js';
import { type Compute, ON_CALLING_THREAD } from '../linalg/threads.js';

/** How reflections are treated by the orthogonal map. */
export type Reflection = 'allow' | 'forbid';

/**
 * The orthogonal map `R` (d x d) that minimises `||A R - B||_F`, in one of two forms:
 * dense, or thin `R = I + Z^T (G - I) Z` where the p rows of `Z` (p x d) are an orthonormal
 * basis of the joint row space of A and B and G is p x p orthogonal. The thin form is exact:
 * both data sets live in span(Z), where R acts as G; on the orthogonal complement (where the
 * data give no information and LAPACK's choice is arbitrary) it is the identity.
 */
export type Rotation =
  | { kind: 'dense'; d: number; r: Float64Array }
  | { kind: 'thin'; d: number; p: number; z: Float64Array; g: Float64Array };

export interface ProcrustesSolution {
  rotation: Rotation;
  /** Sum of the singular values of `A^T B` (scipy's `scale`), after any reflection fix. */
  nuclear: number;
}

/** From this d on, Procrustes with an engine takes the polar iteration instead of the d x d SVD. */
const POLAR_ITERATION_MIN_DIM = 256;

/** Sign of the determinant of a square n x n matrix (LU with partial pivoting). */
export function determinantSign(a: Float64Array, n: number): number {
  const w = Float64Array.from(a);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(w[i * n + k]) > Math.abs(w[p * n + k])) p = i;
    const pivot = w[p * n + k];
    if (pivot === 0) return 0;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = w[k * n + j];
        w[k * n + j] = w[p * n + j];
        w[p * n + j] = t;
      }
    }
    if (pivot < 0) sign = -sign;
    for (let i = k + 1; i < n; i++) {
      const f = w[i * n + k] / pivot;
      if (f === 0) continue;
      for (let j = k; j < n; j++) w[i * n + j] -= f * w[k * n + j];
    }
  }
  return sign;
}

/** The orthogonal polar factor `U V^T` of a square matrix from its SVD. */
function polar(svd: Svd, compute: Compute): Float64Array {
  return productNT(svd.u, svd.v, svd.n, svd.k, svd.n, compute);
}

function polarWithReflection(
  svd: Svd,
  reflection: Reflection,
  compute: Compute,
): { g: Float64Array; nuclear: number } {
  let nuclear = 0;
  for (let k = 0; k < svd.k; k++) nuclear += svd.s[k];
  let g = polar(svd, compute);
  if (reflection === 'forbid' && determinantSign(g, svd.n) < 0) {
    // Kabsch: flip the pair with the smallest singular value.
    const { u, n, k } = svd;
    const last = k - 1;
    for (let i = 0; i < n; i++) u[i * k + last] = -u[i * k + last];
    nuclear -= 2 * svd.s[last];
    g = polar(svd, compute);
  }
  return { g, nuclear };
}

/**
 * Orthogonal Procrustes for row-major A, B (n x d). Uses the thin path when 2n < d: an
 * orthonormal basis Z of the joint row space from one Householder QR of [A; B]^T (d x 2n),
 * then a 2n x 2n problem. Otherwise the d x d cross-product and its SVD, as scipy does; the
 * cross-product, SVD and polar product run where `compute` says (an engine, or `threads`). With
 * an engine, d >= 256 and n >= d (reflections allowed) the polar factor comes from a verified
 * Newton-Schulz iteration of d x d products instead (polar-newton-schulz.ts), falling back to the
 * SVD when M is nearly singular.
 *
 * @see scipy.linalg.orthogonal_procrustes; Schönemann (1966)
 */
export function solveProcrustes(
  a: Float64Array,
  b: Float64Array,
  n: number,
  d: number,
  reflection: Reflection,
  compute: Compute = ON_CALLING_THREAD,
): ProcrustesSolution {
  if (2 * n < d) {
    const p = 2 * n;
    const stacked = new Float64Array(p * d);
    stacked.set(a, 0);
    stacked.set(b, n * d);
    const z = thinQFromQr(thinQrOfRows(stacked, p, d));
    const az = gemmNT(a, z, n, d, p);
    const bz = gemmNT(b, z, n, d, p);
    const m = gemmTN(az, bz, n, p, p);
    const svd = thinSvd(m, p, p);
    const { g, nuclear } = polarWithReflection(svd, reflection, ON_CALLING_THREAD);
    return { rotation: { kind: 'thin', d, p, z, g }, nuclear };
  }
  const m = crossProduct(a, b, n, d, d, compute);
  // With n < d, a^T b has rank < d: the polar factor is not unique and the iteration would only fail.
  if (compute.engine !== undefined && reflection === 'allow' && d >= POLAR_ITERATION_MIN_DIM && n >= d) {
    const polar = polarNewtonSchulz(m, d, compute);
    if (polar !== null) return { rotation: { kind: 'dense', d, r: polar.rotation }, nuclear: polar.nuclear };
  }
  const svd = thinSvd(m, d, d, compute.threads);
  const { g, nuclear } = polarWithReflection(svd, reflection, compute);
  return { rotation: { kind: 'dense', d, r: g }, nuclear };
}

/** `X R` for row-major X (rows x d). */
export function applyRotation(x: Float64Array, rows: number, rotation: Rotation): Float64Array {
  if (rotation.kind === 'dense') return gemmNN(x, rotation.r, rows, rotation.d, rotation.d);
  const { d, p, z, g } = rotation;
  // X R = X + (X Z^T)(G - I) Z
  const xz = gemmNT(x, z, rows, d, p);
  const gMinusI = Float64Array.from(g);
  for (let i = 0; i < p; i++) gMinusI[i * p + i] -= 1;
  const coefficients = gemmNN(xz, gMinusI, rows, p, p);
  const out = gemmNN(coefficients, z, rows, p, d);
  for (let k = 0; k < out.length; k++) out[k] += x[k];
  return out;
}

/** `X R^T` for row-major X (rows x d). */
export function applyRotationTranspose(x: Float64Array, rows: number, rotation: Rotation): Float64Array {
  if (rotation.kind === 'dense') return gemmNT(x, rotation.r, rows, rotation.d, rotation.d);
  const { d, p, z, g } = rotation;
  const xz = gemmNT(x, z, rows, d, p);
  const gtMinusI = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) gtMinusI[i * p + j] = g[j * p + i] - (i === j ? 1 : 0);
  const coefficients = gemmNN(xz, gtMinusI, rows, p, p);
  const out = gemmNN(coefficients, z, rows, p, d);
  for (let k = 0; k < out.length; k++) out[k] += x[k];
  return out;
}

/** The dense d x d matrix of a rotation. */
export function denseRotation(rotation: Rotation): Float64Array {
  if (rotation.kind === 'dense') return rotation.r;
  const identity = new Float64Array(rotation.d * rotation.d);
  for (let i = 0; i < rotation.d; i++) identity[i * rotation.d + i] = 1;
  return applyRotation(identity, rotation.d, rotation);
}

/**
 * Sum of the singular values of `A^T B` without forming any d x d matrix when n < d: with
 * `A^T = Q_A R_A` and `B^T = Q_B R_B` (thin QR), `A^T B = Q_A (R_A R_B^T) Q_B^T`, so the
 * singular values are those of the n x n matrix `R_A R_B^T` (METHOD.md section 4).
 */
export function nuclearNormOfCrossProduct(a: Float64Array, b: Float64Array, n: number, d: number): number {
  return nuclearNormFromFactors(procrustesFactor(a, n, d), procrustesFactor(b, n, d));
}

/** A per-matrix factor F with `F^T F = A A^T` (R of the QR of A^T) when n < d, else A itself. */
export interface ProcrustesFactor {
  data: Float64Array;
  rows: number;
  cols: number;
  thin: boolean;
}

export function procrustesFactor(a: Float64Array, n: number, d: number): ProcrustesFactor {
  if (n < d) {
    const { r } = thinQrOfRows(a, n, d);
    // R is n x n with A^T = Q R; store R^T so that (R^T)^T-free products read rows: F = R^T (n x n).
    const rt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rt[j * n + i] = r[i * n + j];
    return { data: rt, rows: n, cols: n, thin: true };
  }
  return { data: a, rows: n, cols: d, thin: false };
}

/**
 * Nuclear norm of `A^T B` from two factors. Thin factors hold `R^T` (so `A = R_A^T Q_A^T`
 * becomes "rows of R_A^T" times Q_A^T) and the cross-product core is `(R_A^T)^T (R_B^T) = R_A R_B^T`.
 */
export function nuclearNormFromFactors(fa: ProcrustesFactor, fb: ProcrustesFactor): number {
  const m = gemmTN(fa.data, fb.data, fa.rows, fa.cols, fb.cols);
  const values = singularValues(m, fa.cols, fb.cols);
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k];
  return s;
}
