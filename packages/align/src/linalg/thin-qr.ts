import { vectorOps } from './vector-ops.js';

/**
 * Householder QR of the `d x n` matrix whose columns are the `n` rows of a row-major `n x d`
 * array, i.e. `QR = A^T`. Working on the transpose keeps every Householder update a sequential
 * sweep over one row of `A` (a dot and an axpy, run by the wasm SIMD kernels of vector-ops.ts).
 * Used by the thin Procrustes path (METHOD.md section 4): with n < d the singular values of
 * `A^T B` are those of the small `n x n` product `R_A R_B^T`.
 *
 * @see LAPACK dgeqrf (unblocked, dgeqr2); Golub & Van Loan, Matrix Computations, 4th ed., 5.2.2
 */
export interface ThinQr {
  /** Upper-triangular `n x n` factor, row-major. */
  r: Float64Array;
  /** Householder vectors (row j holds v_j in entries j..d-1), `n x d`. */
  reflectors: Float64Array;
  /** `2 / (v_j . v_j)`, 0 for a skipped (zero) column. */
  tau: Float64Array;
  n: number;
  d: number;
}

/** Euclidean norm of `heap[o .. o + length)`, scaled against overflow when the plain sum fails. */
function runNorm(heap: Float64Array, o: number, length: number, squares: number): number {
  if (Number.isFinite(squares) && squares > 1e-280) return Math.sqrt(squares);
  let scale = 0;
  for (let t = 0; t < length; t++) scale = Math.max(scale, Math.abs(heap[o + t]));
  if (scale === 0) return 0;
  let s = 0;
  for (let t = 0; t < length; t++) s += (heap[o + t] / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** QR of `A^T` where `rowsData` is `A` (n x d, row-major). Requires n <= d. */
export function thinQrOfRows(rowsData: Float64Array, n: number, d: number): ThinQr {
  const ops = vectorOps(n * d);
  const w = ops.heap;
  w.set(rowsData.subarray(0, n * d));
  const r = new Float64Array(n * n);
  const tau = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const vj = j * d;
    const norm = runNorm(w, vj + j, d - j, ops.dot(vj + j, vj + j, d - j));
    if (norm === 0) {
      tau[j] = 0;
      for (let k = j; k < n; k++) r[j * n + k] = k === j ? 0 : w[k * d + j];
      w.fill(0, vj + j, vj + d);
      continue;
    }
    const alpha = w[vj + j] > 0 ? -norm : norm;
    w[vj + j] -= alpha;
    const tj = 2 / ops.dot(vj + j, vj + j, d - j);
    tau[j] = tj;
    r[j * n + j] = alpha;
    for (let k = j + 1; k < n; k++) {
      const ck = k * d;
      ops.axpy(-tj * ops.dot(vj + j, ck + j, d - j), vj + j, ck + j, d - j);
      r[j * n + k] = w[ck + j];
    }
  }
  return { r, reflectors: Float64Array.from(w.subarray(0, n * d)), tau, n, d };
}

/**
 * The first `n` columns of Q, returned transposed: row i of the result (n x d) is column i of Q.
 * Built by applying the reflectors in reverse to the unit vectors (LAPACK dorg2r).
 */
export function thinQFromQr(qr: ThinQr): Float64Array {
  const { n, d, reflectors, tau } = qr;
  // Heap layout: reflectors (n x d), then Q^T (n x d).
  const ops = vectorOps(2 * n * d);
  const h = ops.heap;
  h.set(reflectors);
  const Q = n * d;
  for (let i = 0; i < n; i++) h[Q + i * d + i] = 1;
  for (let j = n - 1; j >= 0; j--) {
    const tj = tau[j];
    if (tj === 0) continue;
    const vj = j * d;
    for (let i = 0; i < n; i++) {
      const qi = Q + i * d;
      const dot = ops.dot(vj + j, qi + j, d - j);
      if (dot !== 0) ops.axpy(-tj * dot, vj + j, qi + j, d - j);
    }
  }
  return Float64Array.from(h.subarray(Q, Q + n * d));
}
