/**
 * Cache-blocked, register-tiled float64 matrix products in plain TypeScript.
 *
 * Layout follows GotoBLAS/BLIS: the k dimension is cut into panels of `KC`, the i dimension into
 * blocks of `MC`; both operands are packed into contiguous k-major micro-panels (4 values per k),
 * so the 4 x 4 micro-kernel reads two sequential streams and keeps 16 accumulators local. Packing
 * also absorbs transposition: `A^T B`, `A B` and `A B^T` differ only in how the panels are read.
 * The micro-kernel runs as wasm SIMD (wasm-kernel.ts) where available, else as the scalar loop
 * below; both add in the same order, so results are bit-identical. Measured here (bench/): ml-matrix
 * `mmul` ~0.7 GFLOP/s, a rank-1-update loop ~1.2, the scalar kernel ~6, the wasm kernel ~12-15
 * (one core); OpenBLAS ~90 on two AVX-512 cores.
 */

import { wasmKernel } from './wasm-kernel.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;

/**
 * Packs `count` rows (i) x `depth` (k) of a strided operand into k-major micro-panels of width 4:
 * `out[(panel * depth + k) * 4 + r] = src[(i0 + panel * 4 + r) * strideI + (k0 + k) * strideK]`,
 * zero-padding the last panel.
 */
function pack(
  src: Float64Array,
  strideI: number,
  strideK: number,
  i0: number,
  count: number,
  k0: number,
  depth: number,
  out: Float64Array,
): void {
  const panels = Math.ceil(count / 4);
  for (let p = 0; p < panels; p++) {
    const base = p * depth * 4;
    const rows = Math.min(4, count - p * 4);
    for (let r = 0; r < 4; r++) {
      if (r >= rows) {
        for (let k = 0; k < depth; k++) out[base + k * 4 + r] = 0;
        continue;
      }
      let s = (i0 + p * 4 + r) * strideI + k0 * strideK;
      let o = base + r;
      for (let k = 0; k < depth; k++) {
        out[o] = src[s];
        s += strideK;
        o += 4;
      }
    }
  }
}

/**
 * C (m x n, row-major, stride n) += op(A) op(B) where op(A)[i][k] = a[i * aI + k * aK] and
 * op(B)[k][j] = b[j * bJ + k * bK]. When `upper` is set only blocks touching the upper triangle
 * (j >= i) are computed (for symmetric products; the caller mirrors).
 */
function gemmStrided(
  m: number,
  n: number,
  depth: number,
  a: Float64Array,
  aI: number,
  aK: number,
  b: Float64Array,
  bJ: number,
  bK: number,
  c: Float64Array,
  upper: boolean,
): void {
  const mcMax = Math.ceil(Math.min(MC, m) / MR) * MR;
  const ncMax = Math.ceil(Math.min(NC, n) / NR) * NR;
  const kcMax = Math.min(KC, depth);
  const aBytes = mcMax * kcMax * 8;
  const bBytes = ncMax * kcMax * 8;
  const cBytes = mcMax * ncMax * 8;
  const kernel = useWasm ? wasmKernel(aBytes + bBytes + cBytes) : null;
  if (kernel !== null) {
    const heap = new Float64Array(kernel.memory.buffer);
    const aPack = heap.subarray(0, aBytes / 8);
    const bPack = heap.subarray(aBytes / 8, (aBytes + bBytes) / 8);
    const cBlock = heap.subarray((aBytes + bBytes) / 8, (aBytes + bBytes + cBytes) / 8);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = Math.min(NC, n - j0);
      const nPanels = Math.ceil(nc / NR);
      const ldc = nPanels * NR;
      for (let k0 = 0; k0 < depth; k0 += KC) {
        const kc = Math.min(KC, depth - k0);
        pack(b, bJ, bK, j0, nc, k0, kc, bPack);
        for (let i0 = 0; i0 < m; i0 += MC) {
          const mc = Math.min(MC, m - i0);
          if (upper && i0 >= j0 + nc) continue;
          // For symmetric products skip the column panels wholly left of this block's diagonal.
          const qStart = upper ? Math.min(nPanels - 1, Math.floor(Math.max(0, i0 - j0) / NR)) : 0;
          const mPanels = Math.ceil(mc / MR);
          pack(a, aI, aK, i0, mc, k0, kc, aPack);
          cBlock.fill(0, 0, mPanels * MR * ldc);
          kernel.block(
            0,
            aBytes + qStart * kc * NR * 8,
            aBytes + bBytes + qStart * NR * 8,
            mPanels,
            nPanels - qStart,
            kc,
            ldc * 8,
          );
          for (let r = 0; r < mc; r++) {
            const co = (i0 + r) * n + j0;
            const bo = r * ldc;
            for (let s = qStart * NR; s < nc; s++) c[co + s] += cBlock[bo + s];
          }
        }
      }
    }
    return;
  }
  const aPack = new Float64Array(mcMax * KC);
  const bPack = new Float64Array(ncMax * KC);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let k0 = 0; k0 < depth; k0 += KC) {
      const kc = Math.min(KC, depth - k0);
      pack(b, bJ, bK, j0, nc, k0, kc, bPack);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        if (upper && i0 >= j0 + nc) continue;
        pack(a, aI, aK, i0, mc, k0, kc, aPack);
        microLoop(aPack, bPack, mc, nc, kc, c, n, i0, j0, upper);
      }
    }
  }
}

let useWasm = true;

/** Chooses the wasm SIMD kernel (default, when the engine supports it) or the scalar one (tests, benchmarks). */
export function setGemmKernel(kernel: 'wasm' | 'scalar'): void {
  useWasm = kernel === 'wasm';
}

function microLoop(
  aPack: Float64Array,
  bPack: Float64Array,
  mc: number,
  nc: number,
  kc: number,
  c: Float64Array,
  ldc: number,
  i0: number,
  j0: number,
  upper: boolean,
): void {
  const iPanels = Math.ceil(mc / MR);
  const jPanels = Math.ceil(nc / NR);
  for (let q = 0; q < jPanels; q++) {
    const jb = j0 + q * NR;
    for (let p = 0; p < iPanels; p++) {
      const ib = i0 + p * MR;
      if (upper && ib > jb + NR - 1) break;
      let ai = p * kc * MR;
      let bj = q * kc * NR;
      let c00 = 0;
      let c01 = 0;
      let c02 = 0;
      let c03 = 0;
      let c10 = 0;
      let c11 = 0;
      let c12 = 0;
      let c13 = 0;
      let c20 = 0;
      let c21 = 0;
      let c22 = 0;
      let c23 = 0;
      let c30 = 0;
      let c31 = 0;
      let c32 = 0;
      let c33 = 0;
      for (let k = 0; k < kc; k++) {
        const a0 = aPack[ai];
        const a1 = aPack[ai + 1];
        const a2 = aPack[ai + 2];
        const a3 = aPack[ai + 3];
        const b0 = bPack[bj];
        const b1 = bPack[bj + 1];
        const b2 = bPack[bj + 2];
        const b3 = bPack[bj + 3];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
        ai += 4;
        bj += 4;
      }
      const rows = Math.min(MR, mc - p * MR);
      const cols = Math.min(NR, nc - q * NR);
      if (rows === 4 && cols === 4) {
        let o = ib * ldc + jb;
        c[o] += c00;
        c[o + 1] += c01;
        c[o + 2] += c02;
        c[o + 3] += c03;
        o += ldc;
        c[o] += c10;
        c[o + 1] += c11;
        c[o + 2] += c12;
        c[o + 3] += c13;
        o += ldc;
        c[o] += c20;
        c[o + 1] += c21;
        c[o + 2] += c22;
        c[o + 3] += c23;
        o += ldc;
        c[o] += c30;
        c[o + 1] += c31;
        c[o + 2] += c32;
        c[o + 3] += c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < rows; r++) {
          for (let s = 0; s < cols; s++) c[(ib + r) * ldc + jb + s] += tile[r * 4 + s];
        }
      }
    }
  }
}

/** `A B` for row-major A (m x k) and B (k x n); returns a new m x n array. */
export function gemmNN(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  if (m === 0 || n === 0 || k === 0) return c;
  gemmStrided(m, n, k, a, k, 1, b, 1, n, c, false);
  return c;
}

/** `A^T B` for row-major A (k x m) and B (k x n); returns a new m x n array. */
export function gemmTN(a: Float64Array, b: Float64Array, k: number, m: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  if (m === 0 || n === 0 || k === 0) return c;
  gemmStrided(m, n, k, a, 1, m, b, 1, n, c, false);
  return c;
}

/** `A B^T` for row-major A (m x k) and B (n x k); returns a new m x n array. */
export function gemmNT(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  if (m === 0 || n === 0 || k === 0) return c;
  gemmStrided(m, n, k, a, k, 1, b, k, 1, c, false);
  return c;
}

function mirrorUpper(c: Float64Array, m: number): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) c[i * m + j] = c[j * m + i];
}

/** `A^T A` (syrk) for row-major A (k x m): only the upper triangle is computed, then mirrored. */
export function syrkTN(a: Float64Array, k: number, m: number): Float64Array {
  const c = new Float64Array(m * m);
  if (m === 0 || k === 0) return c;
  gemmStrided(m, m, k, a, 1, m, a, 1, m, c, true);
  mirrorUpper(c, m);
  return c;
}

/** `A A^T` (Gram matrix of the rows) for row-major A (m x k), upper triangle computed then mirrored. */
export function syrkNT(a: Float64Array, m: number, k: number): Float64Array {
  const c = new Float64Array(m * m);
  if (m === 0 || k === 0) return c;
  gemmStrided(m, m, k, a, k, 1, a, k, 1, c, true);
  mirrorUpper(c, m);
  return c;
}
