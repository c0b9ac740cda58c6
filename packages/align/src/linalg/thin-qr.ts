/**
 * Householder QR of the `d x n` matrix whose columns are the `n` rows of a row-major `n x d`
 * array, i.e. `QR = A^T`. Working on the transpose keeps every Householder update a sequential
 * sweep over one row of `A`. Used by the thin Procrustes path (METHOD.md section 4): with n < d
 * the singular values of `A^T B` are those of the small `n x n` product `R_A R_B^T`.
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

/** QR of `A^T` where `rowsData` is `A` (n x d, row-major). Requires n <= d. */
export function thinQrOfRows(rowsData: Float64Array, n: number, d: number): ThinQr {
  const w = Float64Array.from(rowsData);
  const r = new Float64Array(n * n);
  const tau = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const vj = j * d;
    let scale = 0;
    for (let t = j; t < d; t++) scale = Math.max(scale, Math.abs(w[vj + t]));
    let norm = 0;
    if (scale > 0) {
      let s = 0;
      for (let t = j; t < d; t++) {
        const v = w[vj + t] / scale;
        s += v * v;
      }
      norm = scale * Math.sqrt(s);
    }
    if (norm === 0) {
      tau[j] = 0;
      for (let k = j; k < n; k++) r[j * n + k] = k === j ? 0 : w[k * d + j];
      for (let t = j; t < d; t++) w[vj + t] = 0;
      continue;
    }
    const alpha = w[vj + j] > 0 ? -norm : norm;
    w[vj + j] -= alpha;
    let vv = 0;
    for (let t = j; t < d; t++) vv += w[vj + t] * w[vj + t];
    const tj = 2 / vv;
    tau[j] = tj;
    r[j * n + j] = alpha;
    for (let k = j + 1; k < n; k++) {
      const ck = k * d;
      let dot = 0;
      for (let t = j; t < d; t++) dot += w[vj + t] * w[ck + t];
      const f = tj * dot;
      for (let t = j; t < d; t++) w[ck + t] -= f * w[vj + t];
      r[j * n + k] = w[ck + j];
    }
  }
  return { r, reflectors: w, tau, n, d };
}

/**
 * The first `n` columns of Q, returned transposed: row i of the result (n x d) is column i of Q.
 * Built by applying the reflectors in reverse to the unit vectors (LAPACK dorg2r).
 */
export function thinQFromQr(qr: ThinQr): Float64Array {
  const { n, d, reflectors: w, tau } = qr;
  const q = new Float64Array(n * d);
  for (let i = 0; i < n; i++) q[i * d + i] = 1;
  for (let j = n - 1; j >= 0; j--) {
    const tj = tau[j];
    if (tj === 0) continue;
    const vj = j * d;
    for (let i = 0; i < n; i++) {
      const qi = i * d;
      let dot = 0;
      for (let t = j; t < d; t++) dot += w[vj + t] * q[qi + t];
      if (dot === 0) continue;
      const f = tj * dot;
      for (let t = j; t < d; t++) q[qi + t] -= f * w[vj + t];
    }
  }
  return q;
}
