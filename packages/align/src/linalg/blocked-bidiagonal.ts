import { productNT } from './products.js';
import type { Compute } from './threads.js';
import { type VectorOps, vectorOps } from './vector-ops.js';

/** Columns reduced per panel before the trailing matrix is updated by one product (measured: bench/svd-values.ts). */
let panelWidth = 32;

/** For tests and benchmarks: the panel width nb of {@link blockedBidiagonal} (default 32). */
export function setBidiagonalPanel(width: number): void {
  panelWidth = width;
}

/**
 * Householder reflector of the `count`-long contiguous run at `offset` (LAPACK `dlarfg`):
 * overwrites the run's tail with the reflector's tail (its head is implicitly 1) and returns
 * `[beta, tau]`, so that `(I - tau v v^T) x = beta e_1`. `tau = 0` when the tail is zero.
 */
function reflector(h: Float64Array, offset: number, count: number): [number, number] {
  const alpha = h[offset];
  let scale = 0;
  for (let k = 1; k < count; k++) scale = Math.max(scale, Math.abs(h[offset + k]));
  if (scale === 0) return [alpha, 0];
  let sum = 0;
  for (let k = 1; k < count; k++) {
    const x = h[offset + k] / scale;
    sum += x * x;
  }
  const tailNorm = scale * Math.sqrt(sum);
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, tailNorm);
  const factor = 1 / (alpha - beta);
  for (let k = 1; k < count; k++) h[offset + k] *= factor;
  return [beta, (beta - alpha) / beta];
}

/**
 * Bidiagonal form `A = Q B P^T` of a row-major m x n matrix with m >= n, values only: returns B's
 * diagonal `s` and superdiagonal `e` (`e[n - 1] = 0`), for the QR chase of golub-kahan-svd.ts.
 *
 * This is LAPACK's blocked reduction (`dgebrd` with `dlabrd`, Dongarra, Sorensen & Hammarling
 * 1989), 0-based and row-major: each panel of nb columns is reduced with matrix-vector products
 * against the not-yet-updated trailing matrix, corrected by the panel's left reflectors V, right
 * reflectors U (rows of A) and the auxiliary X (m x nb) and Y (n x nb); the trailing matrix is
 * then updated once per panel as the single product `A22 -= [V X] [Y U^T]^T` (products.ts: the
 * engine when given, else the built-in wasm GEMM). V, X and Y are held transposed on one wasm
 * heap with A, so every matrix-vector product and correction is a wasm SIMD dot or axpy over a
 * contiguous run. Half the BLAS-2 traffic of the unblocked reduction; the other half becomes GEMM.
 * Notation (dlabrd's, shifted to 0-based): global step g = k0 + i, v = V[:, i] (v[g] = 1),
 * u = U[i, :] = A[g, g+1:] (u[g+1] = 1).
 *
 * @see LAPACK `dgebrd` / `dlabrd`; Dongarra, Sorensen & Hammarling, "Block reduction of matrices
 *   to condensed forms for eigenvalue computations", J. Comput. Appl. Math. 27 (1989)
 */
export function blockedBidiagonal(
  a: Float64Array,
  m: number,
  n: number,
  compute: Compute,
): { s: Float64Array; e: Float64Array } {
  const nb = Math.max(1, Math.min(panelWidth, n));
  // Heap layout (element offsets): A row-major, then the panel's V^T (nb x m), X^T (nb x m),
  // Y^T (nb x n), then scratch for the trailing update (at most (m - 1) x (n - 1)).
  const A = 0;
  const VT = m * n;
  const XT = VT + nb * m;
  const YT = XT + nb * m;
  const SCRATCH = YT + nb * n;
  const ops = vectorOps(SCRATCH + m * n);
  const h = ops.heap;
  h.set(a.subarray(0, m * n), A);
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  const t = new Float64Array(nb + 1);
  const t2 = new Float64Array(nb + 1);
  for (let k0 = 0; k0 < n; k0 += nb) {
    const width = Math.min(nb, n - k0);
    for (let i = 0; i < width; i++) {
      const g = k0 + i;
      const v = VT + i * m;
      // A[g:, g] -= V[g:, :i] Y[g, :i]^T + X[g:, :i] U[:i, g], worked on as V^T's row i.
      for (let r = g; r < m; r++) h[v + r] = h[A + r * n + g];
      for (let c = 0; c < i; c++) {
        ops.axpy(-h[YT + c * n + g], VT + c * m + g, v + g, m - g);
        ops.axpy(-h[A + (k0 + c) * n + g], XT + c * m + g, v + g, m - g);
      }
      const [beta, tauq] = reflector(h, v + g, m - g);
      s[g] = beta;
      h[v + g] = 1;
      if (g === n - 1) break;
      const len = n - g - 1;
      const y = YT + i * n + g + 1;
      const row = A + g * n + g + 1;
      // Y[g+1:, i] = tauq (A[g:, g+1:]^T v - Y[g+1:, :i] (V[g:, :i]^T v) - U[:i, g+1:]^T (X[g:, :i]^T v))
      h.fill(0, y, y + len);
      for (let r = g; r < m; r++) ops.axpy(h[v + r], A + r * n + g + 1, y, len);
      for (let c = 0; c < i; c++) {
        t[c] = ops.dot(VT + c * m + g, v + g, m - g);
        t2[c] = ops.dot(XT + c * m + g, v + g, m - g);
      }
      for (let c = 0; c < i; c++) {
        ops.axpy(-t[c], YT + c * n + g + 1, y, len);
        ops.axpy(-t2[c], A + (k0 + c) * n + g + 1, y, len);
      }
      for (let j = 0; j < len; j++) h[y + j] *= tauq;
      // A[g, g+1:] -= Y[g+1:, :i+1] V[g, :i+1]^T + U[:i, g+1:]^T X[g, :i]^T (V[g, i] = 1).
      for (let c = 0; c <= i; c++) {
        ops.axpy(-h[VT + c * m + g], YT + c * n + g + 1, row, len);
        if (c < i) ops.axpy(-h[XT + c * m + g], A + (k0 + c) * n + g + 1, row, len);
      }
      const [betaRight, taup] = reflector(h, row, len);
      e[g] = betaRight;
      h[row] = 1;
      // X[g+1:, i] = taup (A[g+1:, g+1:] u - V[g+1:, :i+1] (Y[g+1:, :i+1]^T u) - X[g+1:, :i] (U[:i, g+1:] u))
      const x = XT + i * m;
      for (let r = g + 1; r < m; r++) h[x + r] = ops.dot(A + r * n + g + 1, row, len);
      for (let c = 0; c <= i; c++) t[c] = ops.dot(YT + c * n + g + 1, row, len);
      for (let c = 0; c < i; c++) t2[c] = ops.dot(A + (k0 + c) * n + g + 1, row, len);
      const below = m - g - 1;
      for (let c = 0; c <= i; c++) {
        ops.axpy(-t[c], VT + c * m + g + 1, x + g + 1, below);
        if (c < i) ops.axpy(-t2[c], XT + c * m + g + 1, x + g + 1, below);
      }
      for (let r = g + 1; r < m; r++) h[x + r] *= taup;
    }
    const k1 = k0 + width;
    if (k1 >= n) break;
    trailingUpdate(ops, m, n, k0, width, k1, { VT, XT, YT, SCRATCH }, compute);
  }
  return { s, e };
}

/** `A[k1:, k1:] -= [V X][k1:, :w] [Y U^T][k1:, :w]^T`, as one product. */
function trailingUpdate(
  ops: VectorOps,
  m: number,
  n: number,
  k0: number,
  width: number,
  k1: number,
  at: { VT: number; XT: number; YT: number; SCRATCH: number },
  compute: Compute,
): void {
  const h = ops.heap;
  const rows = m - k1;
  const cols = n - k1;
  const depth = 2 * width;
  const left = new Float64Array(rows * depth);
  const right = new Float64Array(cols * depth);
  for (let c = 0; c < width; c++) {
    const vc = at.VT + c * m + k1;
    const xc = at.XT + c * m + k1;
    for (let r = 0; r < rows; r++) {
      left[r * depth + c] = h[vc + r];
      left[r * depth + width + c] = h[xc + r];
    }
    const yc = at.YT + c * n + k1;
    const uc = (k0 + c) * n + k1;
    for (let j = 0; j < cols; j++) {
      right[j * depth + c] = h[yc + j];
      right[j * depth + width + c] = h[uc + j];
    }
  }
  h.set(productNT(left, right, rows, depth, cols, compute), at.SCRATCH);
  for (let r = 0; r < rows; r++) ops.axpy(-1, at.SCRATCH + r * cols, (k1 + r) * n + k1, cols);
}
