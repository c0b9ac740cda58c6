/**
 * Matrix-vector products over one float64 heap as WebAssembly SIMD kernels, assembled at load
 * time (wasm-encoding.ts): `gemvT` (8, 4 then 1 rows per pass) and `gemvN` (4 then 1), the
 * BLAS-2 half of the blocked bidiagonalisation (blocked-bidiagonal.ts). Plain TypeScript loops
 * where wasm SIMD is unavailable or `setVectorKernel('scalar')` is chosen.
 */

import { vectorKernel } from './vector-ops.js';
import {
  BLOCK,
  BR,
  BR_IF,
  END,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_SPLAT,
  F64_ADD,
  F64_MUL,
  F64_T,
  I32_ADD,
  I32_CONST,
  I32_LT_S,
  I32_MUL,
  I32_SUB,
  I32_T,
  IF,
  LOCAL_GET,
  LOCAL_SET,
  LOOP,
  V128_T,
  V128_ZERO,
  VOID,
  type WasmMemory,
  extractLane,
  f64Load,
  f64Store,
  moduleBytes,
  sleb,
  uleb,
  v128Load,
  v128Store,
  vector,
  wasm,
} from './wasm-encoding.js';

/** gemvT / gemvN(a, lda, rows, len, x, y), all in bytes except `rows` and `len`. */
type GemvKernel = (a: number, lda: number, rows: number, len: number, x: number, y: number) => void;

/**
 * Matrix-vector products over runs of one float64 heap, by element offset: `rows` rows of `len`
 * elements at `a`, `a + lda`, ... `gemvT`: `y[0:len] += sum_r x[r] A[r, :]`; `gemvN`:
 * `y[r] = A[r, :] . x[0:len]` (overwrites).
 */
export interface Gemv {
  heap: Float64Array;
  gemvT(a: number, lda: number, rows: number, len: number, x: number, y: number): void;
  gemvN(a: number, lda: number, rows: number, len: number, x: number, y: number): void;
}

/** Pairs of float64s per iteration of the main loop over a row. */
const UNROLL = 2;

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
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const set = (l: number) => code.push(LOCAL_SET, ...uleb(l));
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
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const set = (l: number) => code.push(LOCAL_SET, ...uleb(l));
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
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const set = (l: number) => code.push(LOCAL_SET, ...uleb(l));
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
          code.push(...extractLane(0));
          get(VEC + r);
          code.push(...extractLane(1), F64_ADD);
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
  const type = [0x60, ...vector([[I32_T], [I32_T], [I32_T], [I32_T], [I32_T], [I32_T]]), 0];
  return moduleBytes(
    [type],
    [0x00, 1],
    [
      { type: 0, name: 'gemvT', body: gemvTBody() },
      { type: 0, name: 'gemvN', body: gemvNBody() },
    ],
  );
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
export function gemvOps(elements: number): Gemv {
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
