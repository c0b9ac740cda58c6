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

/** Solves L X = B in place for lower-triangular L (n x n) and B (n x m), row-major. */
export function solveLowerInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    const bi = i * m;
    for (let k = 0; k < i; k++) {
      const f = l[i * n + k];
      if (f === 0) continue;
      const bk = k * m;
      for (let j = 0; j < m; j++) b[bi + j] -= f * b[bk + j];
    }
    const d = l[i * n + i];
    for (let j = 0; j < m; j++) b[bi + j] /= d;
  }
}

/** Solves L^T X = B in place for lower-triangular L (n x n) and B (n x m), row-major. */
export function solveLowerTransposeInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let i = n - 1; i >= 0; i--) {
    const bi = i * m;
    const d = l[i * n + i];
    for (let j = 0; j < m; j++) b[bi + j] /= d;
    for (let k = 0; k < i; k++) {
      const f = l[i * n + k];
      if (f === 0) continue;
      const bk = k * m;
      for (let j = 0; j < m; j++) b[bk + j] -= f * b[bi + j];
    }
  }
}
