import { productNT } from './products.js';
import type { Compute } from './threads.js';
import { type Gemv, gemvOps } from './gemv-kernel.js';

/**
 * Columns reduced per panel before the trailing matrix is updated (measured at 768 x 768, bench/
 * svd-values.ts): 32 with the built-in kernels, 64 with an engine (wider products pay off there).
 */
let panelWidth: number | undefined;

/** For tests and benchmarks: the panel width nb of {@link blockedBidiagonal} (`undefined`: the default). */
export function setBidiagonalPanel(width: number | undefined): void {
  panelWidth = width;
}

/** From this min(m, n) up, `singularValues` reduces blockwise (measured: bench/svd-values.ts). */
let blockedMinSize = 128;

/** For tests and benchmarks: the smallest min(m, n) that `singularValues` reduces blockwise (default 128). */
export function setBlockedBidiagonalMinSize(size: number): void {
  blockedMinSize = size;
}

/** Whether `singularValues` should use {@link blockedBidiagonal} for an m x n matrix. */
export function useBlockedBidiagonal(m: number, n: number): boolean {
  return Math.min(m, n) >= blockedMinSize;
}

/**
 * Householder reflector of the `count`-long contiguous run at `offset` (LAPACK `dlarfg`):
 * overwrites the run's tail with the reflector's tail (its head is implicitly 1) and returns
 * `[beta, tau]`, so that `(I - tau v v^T) x = beta e_1`. `tau = 0` when the tail is zero. The
 * tail's norm is computed scaled (no overflow); dlarfg's rescaling of a subnormal beta is omitted.
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
 * then updated once per panel by `A22 -= [V X] [Y U^T]^T`: with an engine as that one product
 * (products.ts `productNT`), without one as rank-2nb row updates on the gemv kernel below (as
 * fast per flop as the built-in wasm GEMM, without its packing and copies). V, X and Y are held
 * transposed on one wasm heap with A, so every matrix-vector product and correction is one call
 * of a wasm SIMD kernel over contiguous rows (`gemvT`, `gemvN` below). Same flop count as the
 * unblocked reduction, but half of it in the trailing update instead of matrix-vector sweeps, and
 * about a dozen kernel calls per step instead of ~4 (n - g): at 768 x 768 ~73 ms against ~120 ms.
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
  const nb = Math.max(1, Math.min(panelWidth ?? (compute.engine === undefined ? 32 : 64), n));
  // Heap layout (element offsets): A row-major, the panel's V^T (nb x m), X^T (nb x m), Y^T
  // (nb x n), two coefficient vectors of nb + 1, the constant 1, then scratch for the trailing
  // update (at most (m - 1) x (n - 1)).
  const A = 0;
  const VT = m * n;
  const XT = VT + nb * m;
  const YT = XT + nb * m;
  const T = YT + nb * n;
  const T2 = T + nb + 1;
  const ONE = T2 + nb + 1;
  const SCRATCH = ONE + 1;
  const ops = gemvOps(SCRATCH + (compute.engine === undefined ? 0 : m * n));
  const h = ops.heap;
  h.set(a.subarray(0, m * n), A);
  h[ONE] = 1;
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  for (let k0 = 0; k0 < n; k0 += nb) {
    const width = Math.min(nb, n - k0);
    const U = A + k0 * n;
    for (let i = 0; i < width; i++) {
      const g = k0 + i;
      const v = VT + i * m;
      // A[g:, g] -= V[g:, :i] Y[g, :i]^T + X[g:, :i] U[:i, g], worked on as V^T's row i.
      for (let r = g; r < m; r++) h[v + r] = h[A + r * n + g];
      for (let c = 0; c < i; c++) {
        h[T + c] = -h[YT + c * n + g];
        h[T2 + c] = -h[U + c * n + g];
      }
      ops.gemvT(VT + g, m, i, m - g, T, v + g);
      ops.gemvT(XT + g, m, i, m - g, T2, v + g);
      const [beta, tauq] = reflector(h, v + g, m - g);
      s[g] = beta;
      h[v + g] = 1;
      if (g === n - 1) break;
      const len = n - g - 1;
      const y = YT + i * n + g + 1;
      const row = A + g * n + g + 1;
      // Y[g+1:, i] = tauq (A[g:, g+1:]^T v - Y[g+1:, :i] (V[g:, :i]^T v) - U[:i, g+1:]^T (X[g:, :i]^T v))
      h.fill(0, y, y + len);
      ops.gemvT(A + g * n + g + 1, n, m - g, len, v + g, y);
      ops.gemvN(VT + g, m, i, m - g, v + g, T);
      ops.gemvN(XT + g, m, i, m - g, v + g, T2);
      for (let c = 0; c < i; c++) {
        h[T + c] = -h[T + c];
        h[T2 + c] = -h[T2 + c];
      }
      ops.gemvT(YT + g + 1, n, i, len, T, y);
      ops.gemvT(U + g + 1, n, i, len, T2, y);
      for (let j = 0; j < len; j++) h[y + j] *= tauq;
      // A[g, g+1:] -= Y[g+1:, :i+1] V[g, :i+1]^T + U[:i, g+1:]^T X[g, :i]^T (V[g, i] = 1).
      for (let c = 0; c <= i; c++) h[T + c] = -h[VT + c * m + g];
      for (let c = 0; c < i; c++) h[T2 + c] = -h[XT + c * m + g];
      ops.gemvT(YT + g + 1, n, i + 1, len, T, row);
      ops.gemvT(U + g + 1, n, i, len, T2, row);
      const [betaRight, taup] = reflector(h, row, len);
      e[g] = betaRight;
      h[row] = 1;
      // X[g+1:, i] = taup (A[g+1:, g+1:] u - V[g+1:, :i+1] (Y[g+1:, :i+1]^T u) - X[g+1:, :i] (U[:i, g+1:] u))
      const x = XT + i * m + g + 1;
      const below = m - g - 1;
      ops.gemvN(row + n, n, below, len, row, x);
      ops.gemvN(YT + g + 1, n, i + 1, len, row, T);
      ops.gemvN(U + g + 1, n, i, len, row, T2);
      for (let c = 0; c <= i; c++) h[T + c] = -h[T + c];
      for (let c = 0; c < i; c++) h[T2 + c] = -h[T2 + c];
      ops.gemvT(VT + g + 1, m, i + 1, below, T, x);
      ops.gemvT(XT + g + 1, m, i, below, T2, x);
      for (let r = 0; r < below; r++) h[x + r] *= taup;
    }
    const k1 = k0 + width;
    if (k1 >= n) break;
    if (compute.engine === undefined) {
      // Without an engine, the update as rank-2w row updates (gemvT, 8 rows per pass): as fast as
      // the wasm GEMM per flop and free of its packing and copies (measured ~7% faster overall).
      const rows = m - k1;
      const cols = n - k1;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < width; c++) {
          h[T + c] = -h[VT + c * m + k1 + r];
          h[T2 + c] = -h[XT + c * m + k1 + r];
        }
        ops.gemvT(YT + k1, n, width, cols, T, A + (k1 + r) * n + k1);
        ops.gemvT(U + k1, n, width, cols, T2, A + (k1 + r) * n + k1);
      }
    } else {
      trailingUpdate(ops, m, n, k0, width, { VT, XT, YT, ONE, SCRATCH }, compute);
    }
  }
  return { s, e };
}

/** `A[k1:, k1:] -= [V X][k1:, :w] [Y U^T][k1:, :w]^T` (k1 = k0 + w), as one product. */
function trailingUpdate(
  ops: Gemv,
  m: number,
  n: number,
  k0: number,
  width: number,
  at: { VT: number; XT: number; YT: number; ONE: number; SCRATCH: number },
  compute: Compute,
): void {
  const h = ops.heap;
  const k1 = k0 + width;
  const rows = m - k1;
  const cols = n - k1;
  const depth = 2 * width;
  // left = -[V X] so that the product is the update to add.
  const left = new Float64Array(rows * depth);
  const right = new Float64Array(cols * depth);
  for (let c = 0; c < width; c++) {
    const vc = at.VT + c * m + k1;
    const xc = at.XT + c * m + k1;
    for (let r = 0; r < rows; r++) {
      left[r * depth + c] = -h[vc + r];
      left[r * depth + width + c] = -h[xc + r];
    }
    const yc = at.YT + c * n + k1;
    const uc = (k0 + c) * n + k1;
    for (let j = 0; j < cols; j++) {
      right[j * depth + c] = h[yc + j];
      right[j * depth + width + c] = h[uc + j];
    }
  }
  h.set(productNT(left, right, rows, depth, cols, compute), at.SCRATCH);
  for (let r = 0; r < rows; r++) ops.gemvT(at.SCRATCH + r * cols, cols, 1, cols, at.ONE, (k1 + r) * n + k1);
}
