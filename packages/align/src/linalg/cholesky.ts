import { gemmNN, gemmTN } from './gemm.js';

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive definite n x n matrix, or null
 * when a pivot is not positive (the matrix is singular or indefinite to working precision).
 * @see LAPACK dpotrf
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
    if (!(s > 0) || s <= a[j * n + j] * 1e-14) return null;
    const ljj = Math.sqrt(s);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      const li = i * n;
      const lj = j * n;
      for (let k = 0; k < j; k++) t -= l[li + k] * l[lj + k];
      l[li + j] = t / ljj;
    }
  }
  return l;
}

/** Unblocked forward substitution, L X = B in place (rows r0..r1 of the system, earlier rows already solved). */
function solveLowerRowsInPlace(l: Float64Array, n: number, b: Float64Array, m: number, r0 = 0, r1 = n): void {
  for (let i = r0; i < r1; i++) {
    const bi = i * m;
    for (let k = r0; k < i; k++) {
      const f = l[i * n + k];
      if (f === 0) continue;
      const bk = k * m;
      for (let j = 0; j < m; j++) b[bi + j] -= f * b[bk + j];
    }
    const d = l[i * n + i];
    for (let j = 0; j < m; j++) b[bi + j] /= d;
  }
}

/** Unblocked back substitution for L^T X = B on rows r0..r1 (later rows already solved and applied). */
function solveLowerTransposeRowsInPlace(
  l: Float64Array,
  n: number,
  b: Float64Array,
  m: number,
  r0 = 0,
  r1 = n,
): void {
  for (let i = r1 - 1; i >= r0; i--) {
    const bi = i * m;
    const d = l[i * n + i];
    for (let j = 0; j < m; j++) b[bi + j] /= d;
    for (let k = r0; k < i; k++) {
      const f = l[i * n + k];
      if (f === 0) continue;
      const bk = k * m;
      for (let j = 0; j < m; j++) b[bk + j] -= f * b[bi + j];
    }
  }
}

const BLOCK = 64;

/**
 * Solves L X = B in place for lower-triangular L (n x n) and B (n x m), row-major. Blocked
 * (LAPACK dtrsm style): each 64-row block is first updated with one GEMM against the rows
 * already solved, then finished by substitution, so ~all the n^2 m flops run in the GEMM kernel.
 */
export function solveLowerInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    if (r0 > 0) {
      const rows = r1 - r0;
      const panel = new Float64Array(rows * r0);
      for (let i = 0; i < rows; i++) panel.set(l.subarray((r0 + i) * n, (r0 + i) * n + r0), i * r0);
      const update = gemmNN(panel, b.subarray(0, r0 * m), rows, r0, m);
      for (let k = 0; k < rows * m; k++) b[r0 * m + k] -= update[k];
    }
    solveLowerRowsInPlace(l, n, b, m, r0, r1);
  }
}

/** Solves L^T X = B in place for lower-triangular L (n x n) and B (n x m), row-major; blocked like {@link solveLowerInPlace}. */
export function solveLowerTransposeInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  const blocks = Math.ceil(n / BLOCK);
  for (let q = blocks - 1; q >= 0; q--) {
    const r0 = q * BLOCK;
    const r1 = Math.min(n, r0 + BLOCK);
    if (r1 < n) {
      // rows r0..r1 of L^T X: subtract (L^T)[r0:r1, r1:n] X[r1:n] = L[r1:n, r0:r1]^T X[r1:n].
      const rows = r1 - r0;
      const tail = n - r1;
      const panel = new Float64Array(tail * rows);
      for (let i = 0; i < tail; i++) panel.set(l.subarray((r1 + i) * n + r0, (r1 + i) * n + r1), i * rows);
      const update = gemmTN(panel, b.subarray(r1 * m, n * m), tail, rows, m);
      for (let k = 0; k < rows * m; k++) b[r0 * m + k] -= update[k];
    }
    solveLowerTransposeRowsInPlace(l, n, b, m, r0, r1);
  }
}
