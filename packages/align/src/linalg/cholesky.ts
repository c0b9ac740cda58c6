import { gramNT, productNN, productTN } from './products.js';
import { type Compute, ON_CALLING_THREAD } from './threads.js';

/** Columns per block of the factorisation (measured at d = 768: 64 beats 32 and 128). */
const BLOCK = 64;
/**
 * Rows per block of the triangular solves: the substitution inside a block is scalar, the update
 * before it a matrix product, so smaller blocks move work into products (measured at d = 768:
 * 32 is ~1.8x faster than 64 with an engine and ~1.1x without; 16 gains no more).
 */
const SOLVE_BLOCK = 32;

/** Unblocked Cholesky of the diagonal block [j0, j1) of `l` in place; false when a pivot fails. */
function factorDiagonalBlock(
  l: Float64Array,
  n: number,
  j0: number,
  j1: number,
  diagonal: Float64Array,
): boolean {
  for (let j = j0; j < j1; j++) {
    let s = l[j * n + j];
    for (let k = j0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
    // Relative to the original diagonal: a pivot that lost 14 digits is singular to working precision.
    if (!(s > 0) || s <= diagonal[j] * 1e-14) return false;
    const ljj = Math.sqrt(s);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < j1; i++) {
      let t = l[i * n + j];
      for (let k = j0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = t / ljj;
    }
  }
  return true;
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive definite n x n matrix, or null
 * when a pivot is not positive (the matrix is singular or indefinite to working precision).
 * Blocked right-looking like LAPACK dpotrf: per block of columns, an unblocked factor of the
 * diagonal block, a triangular solve for the panel below it, and a trailing update
 * `A22 -= L21 L21^T` as one matrix product, which carries ~all the n^3 / 3 flops and runs where
 * `compute` says.
 * @see LAPACK dpotrf
 */
export function cholesky(
  a: Float64Array,
  n: number,
  compute: Compute = ON_CALLING_THREAD,
): Float64Array | null {
  const l = Float64Array.from(a.subarray(0, n * n));
  const diagonal = new Float64Array(n);
  for (let j = 0; j < n; j++) diagonal[j] = a[j * n + j];
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const j1 = Math.min(n, j0 + BLOCK);
    const width = j1 - j0;
    if (!factorDiagonalBlock(l, n, j0, j1, diagonal)) return null;
    const tail = n - j1;
    if (tail === 0) break;
    // Panel: L21 = A21 L11^{-T}, row by row (forward substitution against the rows of L11).
    const panel = new Float64Array(tail * width);
    for (let i = 0; i < tail; i++) {
      const li = (j1 + i) * n;
      for (let j = 0; j < width; j++) {
        let t = l[li + j0 + j];
        for (let k = 0; k < j; k++) t -= panel[i * width + k] * l[(j0 + j) * n + j0 + k];
        panel[i * width + j] = t / l[(j0 + j) * n + j0 + j];
      }
      l.set(panel.subarray(i * width, (i + 1) * width), li + j0);
    }
    const update = gramNT(panel, tail, width, compute);
    for (let i = 0; i < tail; i++) {
      const li = (j1 + i) * n + j1;
      for (let j = 0; j <= i; j++) l[li + j] -= update[i * tail + j];
    }
  }
  // Zero the strict upper triangle (it still holds A's entries).
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
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

/**
 * Solves L X = B in place for lower-triangular L (n x n) and B (n x m), row-major. Blocked
 * (LAPACK dtrsm style): each 32-row block is first updated with one GEMM against the rows
 * already solved, then finished by substitution, so ~all the n^2 m flops run in the GEMM kernel.
 */
export function solveLowerInPlace(
  l: Float64Array,
  n: number,
  b: Float64Array,
  m: number,
  compute: Compute = ON_CALLING_THREAD,
): void {
  for (let r0 = 0; r0 < n; r0 += SOLVE_BLOCK) {
    const r1 = Math.min(n, r0 + SOLVE_BLOCK);
    if (r0 > 0) {
      const rows = r1 - r0;
      const panel = new Float64Array(rows * r0);
      for (let i = 0; i < rows; i++) panel.set(l.subarray((r0 + i) * n, (r0 + i) * n + r0), i * r0);
      const update = productNN(panel, b.subarray(0, r0 * m), rows, r0, m, compute);
      for (let k = 0; k < rows * m; k++) b[r0 * m + k] -= update[k];
    }
    solveLowerRowsInPlace(l, n, b, m, r0, r1);
  }
}

/** Solves L^T X = B in place for lower-triangular L (n x n) and B (n x m), row-major; blocked like {@link solveLowerInPlace}. */
export function solveLowerTransposeInPlace(
  l: Float64Array,
  n: number,
  b: Float64Array,
  m: number,
  compute: Compute = ON_CALLING_THREAD,
): void {
  const blocks = Math.ceil(n / SOLVE_BLOCK);
  for (let q = blocks - 1; q >= 0; q--) {
    const r0 = q * SOLVE_BLOCK;
    const r1 = Math.min(n, r0 + SOLVE_BLOCK);
    if (r1 < n) {
      // rows r0..r1 of L^T X: subtract (L^T)[r0:r1, r1:n] X[r1:n] = L[r1:n, r0:r1]^T X[r1:n].
      const rows = r1 - r0;
      const tail = n - r1;
      const panel = new Float64Array(tail * rows);
      for (let i = 0; i < tail; i++) panel.set(l.subarray((r1 + i) * n + r0, (r1 + i) * n + r1), i * rows);
      const update = productTN(panel, b.subarray(r1 * m, n * m), tail, rows, m, compute);
      for (let k = 0; k < rows * m; k++) b[r0 * m + k] -= update[k];
    }
    solveLowerTransposeRowsInPlace(l, n, b, m, r0, r1);
  }
}
