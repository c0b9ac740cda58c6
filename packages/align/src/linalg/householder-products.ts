/**
 * The factor-forming stage of golub-kahan-svd.ts: U and V accumulated from the Householder
 * vectors that the bidiagonalisation leaves in the U^T and V^T rows of the heap (JAMA's loops,
 * transposed so each inner loop is a sequential dot/axpy). U's loop reads only U^T and `s`, V's
 * only V^T and `e`, so the two can run on different threads (svd-parallel.ts) with the same
 * result, bit for bit.
 */

import type { VectorOps } from './vector-ops.js';

/**
 * Forms U^T (nu rows of m at element offset `ut` of `ops.heap`) in place from the left
 * Householder vectors of the first `nct` rows; `s` holds the bidiagonalisation's diagonal.
 */
export function formU(ops: VectorOps, ut: number, m: number, nu: number, nct: number, s: Float64Array): void {
  const h = ops.heap;
  for (let j = nct; j < nu; j++) {
    h.fill(0, ut + j * m, ut + (j + 1) * m);
    h[ut + j * m + j] = 1;
  }
  for (let k = nct - 1; k >= 0; k--) {
    const uk = ut + k * m;
    if (s[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const uj = ut + j * m;
        const t = -ops.dot(uk + k, uj + k, m - k) / h[uk + k];
        ops.axpy(t, uk + k, uj + k, m - k);
      }
      for (let i = k; i < m; i++) h[uk + i] = -h[uk + i];
      h[uk + k] = 1 + h[uk + k];
      for (let i = 0; i < k - 1; i++) h[uk + i] = 0;
    } else {
      h.fill(0, uk, uk + m);
      h[uk + k] = 1;
    }
  }
}

/**
 * Forms V^T (n x n at element offset `vt` of `ops.heap`) in place from the right Householder
 * vectors of the first `nrt` rows; `e` holds the bidiagonalisation's superdiagonal (only whether
 * `e[k]` is zero, for k < nrt, is read).
 */
export function formV(ops: VectorOps, vt: number, n: number, nrt: number, e: Float64Array): void {
  const h = ops.heap;
  for (let k = n - 1; k >= 0; k--) {
    const vk = vt + k * n;
    if (k < nrt && e[k] !== 0) {
      for (let j = k + 1; j < n; j++) {
        const vj = vt + j * n;
        const t = -ops.dot(vk + k + 1, vj + k + 1, n - k - 1) / h[vk + k + 1];
        ops.axpy(t, vk + k + 1, vj + k + 1, n - k - 1);
      }
    }
    h.fill(0, vk, vk + n);
    h[vk + k] = 1;
  }
}
