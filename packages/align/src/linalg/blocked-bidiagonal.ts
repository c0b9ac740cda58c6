import { productNT } from './products.js';
import type { Compute } from './threads.js';
import { vectorKernel } from './vector-ops.js';

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

// ---- Matrix-vector kernels (wasm SIMD, assembled at load time like wasm-kernel.ts's) ----

// The ES2022 lib has no WebAssembly declarations; these are the members used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** gemvT / gemvN(a, lda, rows, len, x, y), all in bytes except `rows` and `len`. */
type GemvKernel = (a: number, lda: number, rows: number, len: number, x: number, y: number) => void;

/**
 * Matrix-vector products over runs of one float64 heap, by element offset: `rows` rows of `len`
 * elements at `a`, `a + lda`, ... `gemvT`: `y[0:len] += sum_r x[r] A[r, :]`; `gemvN`:
 * `y[r] = A[r, :] . x[0:len]` (overwrites).
 */
interface Gemv {
  heap: Float64Array;
  gemvT(a: number, lda: number, rows: number, len: number, x: number, y: number): void;
  gemvN(a: number, lda: number, rows: number, len: number, x: number, y: number): void;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const [I32_T, F64_T, V128_T] = [0x7f, 0x7c, 0x7b];
const [BLOCK, LOOP, IF, END, BR, BR_IF, VOID] = [0x02, 0x03, 0x04, 0x0b, 0x0c, 0x0d, 0x40];
const [GET, SET, I32_CONST] = [0x20, 0x21, 0x41];
const [I32_ADD, I32_SUB, I32_MUL, I32_LT_S] = [0x6a, 0x6b, 0x6c, 0x48];
const [F64_ADD, F64_MUL] = [0xa0, 0xa2];
const f64Load = (offset: number) => [0x2b, 3, ...uleb(offset)];
const f64Store = (offset: number) => [0x39, 3, ...uleb(offset)];
const SIMD = 0xfd;
const v128Load = (offset: number) => [SIMD, 0x00, 3, ...uleb(offset)];
const v128Store = (offset: number) => [SIMD, 0x0b, 3, ...uleb(offset)];
/** Pairs of float64s per iteration of the main loop over a row. */
const UNROLL = 2;
const F64X2_SPLAT = [SIMD, 0x14];
const F64X2_ADD = [SIMD, ...uleb(0xf0)];
const F64X2_MUL = [SIMD, ...uleb(0xf2)];
const V128_ZERO = [SIMD, 0x0c, ...new Array(16).fill(0)];
const lane = (l: number) => [SIMD, 0x21, l];

// Parameters 0..5 (i32): a, lda, rows, len, x, y. Locals: i32 6..13 row pointers, 14 q, 15 k;
// v128 16..23 per-row values, 24 w; f64 25..32 per-row scalars.
const MAX_ROWS = 8;
/** Rows per pass of gemvT (blocks of 8 while they last, then 4, then 1) and of gemvN (measured). */
const T_BLOCKS = [8, 4, 1];
const N_BLOCKS = [4, 1];
const [PA, LDA, ROWS, LEN, PX, PY] = [0, 1, 2, 3, 4, 5];
const PTR = 6;
const Q = PTR + MAX_ROWS;
const K = Q + 1;
const VEC = K + 1;
const W = VEC + MAX_ROWS;
const SCALAR = W + 1;
const LOCALS = vector([
  [MAX_ROWS + 2, I32_T],
  [MAX_ROWS + 1, V128_T],
  [MAX_ROWS, F64_T],
]);

/**
 * Emits `while (rows >= R) { <per-block code>; a += R lda; rows -= R }` with the R row pointers
 * set up, and a pair loop over `len` (k counts the elements left, q walks the vector).
 */
function rowBlocks(
  code: number[],
  R: number,
  start: () => void,
  pair: (offset: number) => void,
  tail: () => void,
  finish: () => void,
) {
  const get = (l: number) => code.push(GET, ...uleb(l));
  const set = (l: number) => code.push(SET, ...uleb(l));
  const bump = (l: number, by: number) => {
    get(l);
    code.push(I32_CONST, ...sleb(by), I32_ADD);
    set(l);
  };
  code.push(BLOCK, VOID, LOOP, VOID);
  get(ROWS);
  code.push(I32_CONST, R, I32_LT_S, BR_IF, 1);
  get(PA);
  set(PTR);
  for (let r = 1; r < R; r++) {
    get(PTR + r - 1);
    get(LDA);
    code.push(I32_ADD);
    set(PTR + r);
  }
  get(LEN);
  set(K);
  start();
  // while (k >= 2 UNROLL) { pairs at 0, 16, ...; pointers += 16 UNROLL } then once more one pair.
  for (const unroll of [UNROLL, 1]) {
    code.push(BLOCK, VOID, LOOP, VOID);
    get(K);
    code.push(I32_CONST, 2 * unroll, I32_LT_S, BR_IF, 1);
    for (let u = 0; u < unroll; u++) pair(16 * u);
    for (let r = 0; r < R; r++) bump(PTR + r, 16 * unroll);
    bump(Q, 16 * unroll);
    get(K);
    code.push(I32_CONST, 2 * unroll, I32_SUB);
    set(K);
    code.push(BR, 0, END, END);
  }
  get(K);
  code.push(IF, VOID);
  tail();
  code.push(END);
  finish();
  // a += R lda; rows -= R
  get(PA);
  get(LDA);
  code.push(I32_CONST, R, I32_MUL, I32_ADD);
  set(PA);
  get(ROWS);
  code.push(I32_CONST, R, I32_SUB);
  set(ROWS);
  code.push(BR, 0, END, END);
}

/** y[0:len] += sum_r x[r] A[r, :], eight rows per pass over y (then four, then one). */
function gemvTBody(): number[] {
  const code: number[] = [];
  const get = (l: number) => code.push(GET, ...uleb(l));
  const set = (l: number) => code.push(SET, ...uleb(l));
  for (const R of T_BLOCKS) {
    rowBlocks(
      code,
      R,
      () => {
        for (let r = 0; r < R; r++) {
          get(PX);
          code.push(...f64Load(8 * r));
          set(SCALAR + r);
          get(SCALAR + r);
          code.push(...F64X2_SPLAT);
          set(VEC + r);
        }
        get(PY);
        set(Q);
      },
      (o) => {
        get(Q);
        get(Q);
        code.push(...v128Load(o));
        for (let r = 0; r < R; r++) {
          get(VEC + r);
          get(PTR + r);
          code.push(...v128Load(o), ...F64X2_MUL, ...F64X2_ADD);
        }
        code.push(...v128Store(o));
      },
      () => {
        get(Q);
        get(Q);
        code.push(...f64Load(0));
        for (let r = 0; r < R; r++) {
          get(SCALAR + r);
          get(PTR + r);
          code.push(...f64Load(0), F64_MUL, F64_ADD);
        }
        code.push(...f64Store(0));
      },
      () => {
        get(PX);
        code.push(I32_CONST, ...sleb(8 * R), I32_ADD);
        set(PX);
      },
    );
  }
  code.push(END);
  return [...LOCALS, ...code];
}

/** y[r] = A[r, :] . x, four rows per pass over x (then one). */
function gemvNBody(): number[] {
  const code: number[] = [];
  const get = (l: number) => code.push(GET, ...uleb(l));
  const set = (l: number) => code.push(SET, ...uleb(l));
  for (const R of N_BLOCKS) {
    rowBlocks(
      code,
      R,
      () => {
        for (let r = 0; r < R; r++) {
          code.push(...V128_ZERO);
          set(VEC + r);
          code.push(0x44, 0, 0, 0, 0, 0, 0, 0, 0); // f64.const 0
          set(SCALAR + r);
        }
        get(PX);
        set(Q);
      },
      (o) => {
        get(Q);
        code.push(...v128Load(o));
        set(W);
        for (let r = 0; r < R; r++) {
          get(VEC + r);
          get(PTR + r);
          code.push(...v128Load(o));
          get(W);
          code.push(...F64X2_MUL, ...F64X2_ADD);
          set(VEC + r);
        }
      },
      () => {
        for (let r = 0; r < R; r++) {
          get(PTR + r);
          code.push(...f64Load(0));
          get(Q);
          code.push(...f64Load(0), F64_MUL);
          set(SCALAR + r);
        }
      },
      () => {
        for (let r = 0; r < R; r++) {
          get(PY);
          get(VEC + r);
          code.push(...lane(0));
          get(VEC + r);
          code.push(...lane(1), F64_ADD);
          get(SCALAR + r);
          code.push(F64_ADD, ...f64Store(8 * r));
        }
        get(PY);
        code.push(I32_CONST, ...sleb(8 * R), I32_ADD);
        set(PY);
      },
    );
  }
  code.push(END);
  return [...LOCALS, ...code];
}

function gemvModuleBytes(): Uint8Array {
  const type = section(
    1,
    vector([[0x60, ...vector([[I32_T], [I32_T], [I32_T], [I32_T], [I32_T], [I32_T]]), 0]]),
  );
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]]));
  const functions = section(3, vector([[0], [0]]));
  const exports = section(
    7,
    vector([
      [...name('gemvT'), 0x00, 0],
      [...name('gemvN'), 0x00, 1],
    ]),
  );
  const bodies = [gemvTBody(), gemvNBody()];
  const code = section(10, vector(bodies.map((b) => [...uleb(b.length), ...b])));
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
}

let gemvInstance: { memory: WasmMemory; gemvT: GemvKernel; gemvN: GemvKernel } | null | undefined;

function wasmGemvInstance() {
  if (gemvInstance === undefined) {
    gemvInstance = null;
    try {
      const bytes = gemvModuleBytes();
      if (wasm?.validate(bytes)) {
        const memory = new wasm.Memory({ initial: 1 });
        const { exports } = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
        gemvInstance = { memory, gemvT: exports.gemvT as GemvKernel, gemvN: exports.gemvN as GemvKernel };
      }
    } catch {
      gemvInstance = null;
    }
  }
  return gemvInstance;
}

/** A zeroed heap of `elements` float64s with the kernels: wasm SIMD where available (and chosen), else plain loops. */
function gemvOps(elements: number): Gemv {
  const w = vectorKernel() === 'wasm' ? wasmGemvInstance() : null;
  if (w === null) return scalarGemv(new Float64Array(elements));
  const missing = elements * 8 - w.memory.buffer.byteLength;
  if (missing > 0) w.memory.grow(Math.ceil(missing / 65536));
  const heap = new Float64Array(w.memory.buffer, 0, elements);
  heap.fill(0);
  return {
    heap,
    gemvT: (a, lda, rows, len, x, y) => {
      if (rows > 0 && len > 0) w.gemvT(a * 8, lda * 8, rows, len, x * 8, y * 8);
    },
    gemvN: (a, lda, rows, len, x, y) => {
      if (rows > 0) w.gemvN(a * 8, lda * 8, rows, len, x * 8, y * 8);
    },
  };
}

function scalarGemv(heap: Float64Array): Gemv {
  return {
    heap,
    gemvT(a, lda, rows, len, x, y) {
      for (let r = 0; r < rows; r++) {
        const alpha = heap[x + r];
        const o = a + r * lda;
        for (let j = 0; j < len; j++) heap[y + j] += alpha * heap[o + j];
      }
    },
    gemvN(a, lda, rows, len, x, y) {
      for (let r = 0; r < rows; r++) {
        const o = a + r * lda;
        let sum = 0;
        for (let j = 0; j < len; j++) sum += heap[o + j] * heap[x + j];
        heap[y + r] = sum;
      }
    },
  };
}
