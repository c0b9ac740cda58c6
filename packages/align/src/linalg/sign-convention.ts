/**
 * scikit-learn's `svd_flip` (u-based): flips each singular pair so that the largest-magnitude
 * entry of the left vector is positive. Singular vectors are defined only up to sign; this makes
 * xling's output repeat exactly and match scikit-learn. In place on `u` (m x k) and `v` (n x k),
 * both row-major with vectors as columns.
 *
 * @see sklearn.utils.extmath.svd_flip
 */
export function flipSignsInPlace(u: Float64Array, m: number, k: number, v: Float64Array, n: number): void {
  for (let c = 0; c < k; c++) {
    let best = 0;
    let bestIndex = 0;
    for (let i = 0; i < m; i++) {
      const a = Math.abs(u[i * k + c]);
      if (a > best) {
        best = a;
        bestIndex = i;
      }
    }
    if (u[bestIndex * k + c] < 0) {
      for (let i = 0; i < m; i++) u[i * k + c] = -u[i * k + c];
      for (let i = 0; i < n; i++) v[i * k + c] = -v[i * k + c];
    }
  }
}
