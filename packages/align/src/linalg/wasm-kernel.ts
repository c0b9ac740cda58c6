/**
 * WebAssembly SIMD (f64x2) kernels, assembled at load time from the opcodes below (no build step,
 * no binary blob): `block`, the GEMM micro-kernel of gemm.ts (for packed k-major panels of 4 rows
 * of A and 4 columns of B, `C_block += A_panel^T B_panel` over whole mc x nc blocks, 8 v128
 * accumulators per 4 x 4 tile: half the instructions of the scalar kernel), and the BLAS-1 `dot`,
 * `axpy` and `rot` that carry the O(n^3) loops of golub-kahan-svd.ts. Plain JS cannot express
 * SIMD; V8 has shipped wasm SIMD since Node 16. Where the engine rejects the module, callers fall
 * back to plain TypeScript loops.
 */

import {
  BLOCK,
  BR,
  BR_IF,
  END,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_SPLAT,
  F64X2_SUB,
  F64_ADD,
  F64_DIV,
  F64_MUL,
  F64_NEG,
  F64_ZERO,
  F64_SUB,
  F64_T,
  I32_ADD,
  I32_CONST,
  I32_EQZ,
  I32_LT_U,
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
  load64Splat,
  moduleBytes,
  sleb,
  uleb,
  v128Load,
  v128Store,
  vector,
  wasm,
} from './wasm-encoding.js';

export type { WasmMemory } from './wasm-encoding.js';

export interface WasmKernel {
  memory: WasmMemory;
  /** block(aByteOffset, bByteOffset, cByteOffset, mPanels, nPanels, kc, ldcBytes) */
  block: (
    a: number,
    b: number,
    c: number,
    mPanels: number,
    nPanels: number,
    kc: number,
    ldcBytes: number,
  ) => void;
}

// Parameters 0..6: a, b, c, mPanels, nPanels, kc, ldcBytes (i32).
// i32 locals 7..12: q, p, k, aPtr, bPtr, cPtr; v128 locals 13..20: acc[r][h], 21: b01, 22: b23, 23: splat.
const [A, B, C, MP, NP, KC, LDC, Q, P, K, AP, BP, CP] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const ACC = 13;
const B01 = 21;
const B23 = 22;
const SPLAT = 23;

function body(): number[] {
  const code: number[] = [];
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const set = (l: number) => code.push(LOCAL_SET, ...uleb(l));
  const i32 = (v: number) => code.push(I32_CONST, ...sleb(v));
  i32(0);
  set(Q);
  code.push(LOOP, VOID);
  i32(0);
  set(P);
  code.push(LOOP, VOID);
  // aPtr = a + p * kc * 32; bPtr = b + q * kc * 32
  get(A);
  get(P);
  get(KC);
  code.push(I32_MUL);
  i32(32);
  code.push(I32_MUL, I32_ADD);
  set(AP);
  get(B);
  get(Q);
  get(KC);
  code.push(I32_MUL);
  i32(32);
  code.push(I32_MUL, I32_ADD);
  set(BP);
  for (let t = 0; t < 8; t++) {
    code.push(...V128_ZERO);
    set(ACC + t);
  }
  get(KC);
  set(K);
  code.push(LOOP, VOID);
  get(BP);
  code.push(...v128Load(0));
  set(B01);
  get(BP);
  code.push(...v128Load(16));
  set(B23);
  for (let r = 0; r < 4; r++) {
    get(AP);
    code.push(...load64Splat(8 * r));
    set(SPLAT);
    for (let h = 0; h < 2; h++) {
      get(ACC + 2 * r + h);
      get(SPLAT);
      get(h === 0 ? B01 : B23);
      code.push(...F64X2_MUL, ...F64X2_ADD);
      set(ACC + 2 * r + h);
    }
  }
  get(AP);
  i32(32);
  code.push(I32_ADD);
  set(AP);
  get(BP);
  i32(32);
  code.push(I32_ADD);
  set(BP);
  get(K);
  i32(1);
  code.push(I32_SUB);
  set(K);
  get(K);
  code.push(BR_IF, 0);
  code.push(END);
  // cPtr = c + p * 4 * ldcBytes + q * 32
  get(C);
  get(P);
  get(LDC);
  code.push(I32_MUL);
  i32(4);
  code.push(I32_MUL, I32_ADD);
  get(Q);
  i32(32);
  code.push(I32_MUL, I32_ADD);
  set(CP);
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      get(CP);
      get(CP);
      code.push(...v128Load(16 * h));
      get(ACC + 2 * r + h);
      code.push(...F64X2_ADD, ...v128Store(16 * h));
    }
    get(CP);
    get(LDC);
    code.push(I32_ADD);
    set(CP);
  }
  get(P);
  i32(1);
  code.push(I32_ADD);
  set(P);
  get(P);
  get(MP);
  code.push(I32_LT_U, BR_IF, 0);
  code.push(END);
  get(Q);
  i32(1);
  code.push(I32_ADD);
  set(Q);
  get(Q);
  get(NP);
  code.push(I32_LT_U, BR_IF, 0);
  code.push(END, END);
  const locals = vector([
    [6, 0x7f],
    [11, 0x7b],
  ]);
  return [...locals, ...code];
}

/** Pairs of float64s per iteration of the unrolled main loop of `pairLoop`. */
const UNROLL = 4;

/**
 * Emits `while (len >= 2 UNROLL) { step(0) .. step(16 (UNROLL - 1)); p += 16 UNROLL; len -= 2 UNROLL }`,
 * then `while (len >= 2) { step(0); p += 16; len -= 2 }`, then `if (len) tail`. Each element goes
 * through the same operations, in the same order, whatever the unrolling.
 */
function pairLoop(
  code: number[],
  len: number,
  pointers: number[],
  step: (offset: number) => void,
  tail: () => void,
): void {
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  for (const unroll of UNROLL > 1 ? [UNROLL, 1] : [1]) {
    code.push(BLOCK, VOID, LOOP, VOID);
    get(len);
    code.push(I32_CONST, ...sleb(2 * unroll), I32_LT_U, BR_IF, 1);
    for (let u = 0; u < unroll; u++) step(16 * u);
    for (const ptr of pointers) {
      get(ptr);
      code.push(I32_CONST, ...sleb(16 * unroll), I32_ADD, LOCAL_SET, ...uleb(ptr));
    }
    get(len);
    code.push(I32_CONST, ...sleb(2 * unroll), I32_SUB, LOCAL_SET, ...uleb(len), BR, 0, END, END);
  }
  get(len);
  code.push(IF, VOID);
  tail();
  code.push(END);
}

/**
 * Emits the dot product of the runs at pointers p1, p2 (len elements), leaving it on the stack:
 * four v128 accumulators `acc` over the unrolled loop (the pair loop adds into acc[0]), summed as
 * (acc0 + acc1) + (acc2 + acc3), lane 0 + lane 1, plus the tail product in `res`.
 */
function emitDot(code: number[], p1: number, p2: number, len: number, acc: number[], res: number): void {
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const accOf = (o: number) => acc[o / 16];
  for (const a of acc) code.push(...V128_ZERO, LOCAL_SET, ...uleb(a));
  code.push(...F64_ZERO, LOCAL_SET, ...uleb(res));
  pairLoop(
    code,
    len,
    [p1, p2],
    (o) => {
      get(accOf(o));
      get(p1);
      code.push(...v128Load(o));
      get(p2);
      code.push(...v128Load(o), ...F64X2_MUL, ...F64X2_ADD, LOCAL_SET, ...uleb(accOf(o)));
    },
    () => {
      get(p1);
      code.push(...f64Load(0));
      get(p2);
      code.push(...f64Load(0), F64_MUL, LOCAL_SET, ...uleb(res));
    },
  );
  get(acc[0]);
  get(acc[1]);
  code.push(...F64X2_ADD);
  get(acc[2]);
  get(acc[3]);
  code.push(...F64X2_ADD, ...F64X2_ADD, LOCAL_SET, ...uleb(acc[0]));
  get(acc[0]);
  code.push(...extractLane(0));
  get(acc[0]);
  code.push(...extractLane(1), F64_ADD);
  get(res);
  code.push(F64_ADD);
}

/** Emits y += alpha x over the runs at px, py (len elements); `va` gets alpha in both lanes. */
function emitAxpy(code: number[], alpha: number, px: number, py: number, len: number, va: number): void {
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  get(alpha);
  code.push(...F64X2_SPLAT, LOCAL_SET, ...uleb(va));
  pairLoop(
    code,
    len,
    [px, py],
    (o) => {
      get(py);
      get(py);
      code.push(...v128Load(o));
      get(va);
      get(px);
      code.push(...v128Load(o), ...F64X2_MUL, ...F64X2_ADD, ...v128Store(o));
    },
    () => {
      get(py);
      get(py);
      code.push(...f64Load(0));
      get(alpha);
      get(px);
      code.push(...f64Load(0), F64_MUL, F64_ADD, ...f64Store(0));
    },
  );
}

/**
 * Emits `while (count > 0) { body(); p += step for each [p, step]; count -= 1 }`, where a step is a
 * local (its value) or a constant (`{ bytes }`): the column loop of the block kernels.
 */
function columnLoop(
  code: number[],
  count: number,
  body: () => void,
  advance: [number, number | { bytes: number }][],
): void {
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const set = (l: number) => code.push(LOCAL_SET, ...uleb(l));
  code.push(BLOCK, VOID, LOOP, VOID);
  get(count);
  code.push(I32_EQZ, BR_IF, 1);
  body();
  for (const [pointer, step] of [...advance, [count, { bytes: -1 }] as [number, { bytes: number }]]) {
    get(pointer);
    if (typeof step === 'number') get(step);
    else code.push(I32_CONST, ...sleb(step.bytes));
    code.push(I32_ADD);
    set(pointer);
  }
  code.push(BR, 0, END, END);
}

/** dot(p1, p2, len) -> f64: sum of products of two float64 runs (two lanes, then the tail). */
function dotBody(): number[] {
  // Params 0..2: p1, p2, len; locals 3..6: the accumulators, 7: the tail product.
  const code: number[] = [];
  emitDot(code, 0, 1, 2, [3, 4, 5, 6], 7);
  code.push(END);
  return [
    ...vector([
      [4, V128_T],
      [1, F64_T],
    ]),
    ...code,
  ];
}

/** axpy(alpha, px, py, len): y += alpha x. */
function axpyBody(): number[] {
  // Params 0..3: alpha, px, py, len; local 4: alpha in both lanes.
  const code: number[] = [];
  emitAxpy(code, 0, 1, 2, 3, 4);
  code.push(END);
  return [...vector([[1, V128_T]]), ...code];
}

/**
 * reflect(v, col, count, strideBytes, len, v0): for each of `count` columns at col, col + stride,
 * ...: col += (-(v . col) / v0) v over len elements. The Householder update of a block of columns
 * in one call, with exactly the operations of a `dot` then an `axpy` per column (bit-identical);
 * per-column calls from JavaScript cost more than the arithmetic at the small sizes of the
 * all-pairs SVDs.
 */
function reflectBody(): number[] {
  const [v, col, count, stride, len, v0] = [0, 1, 2, 3, 4, 5];
  const [p1, p2, left] = [6, 7, 8];
  const acc = [9, 10, 11, 12];
  const [res, t] = [13, 14];
  const va = 15;
  const code: number[] = [];
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const set = (l: number) => code.push(LOCAL_SET, ...uleb(l));
  const start = () => {
    get(v);
    set(p1);
    get(col);
    set(p2);
    get(len);
    set(left);
  };
  columnLoop(
    code,
    count,
    () => {
      start();
      emitDot(code, p1, p2, left, acc, res);
      code.push(F64_NEG);
      get(v0);
      code.push(F64_DIV);
      set(t);
      start();
      emitAxpy(code, t, p1, p2, left, va);
    },
    [[col, stride]],
  );
  code.push(END);
  return [
    ...vector([
      [3, I32_T],
      [4, V128_T],
      [2, F64_T],
      [1, V128_T],
    ]),
    ...code,
  ];
}

/**
 * The row reflector's two updates of a block of columns, each with exactly an `axpy` per column:
 * gather(coef, x, stride, y, count, len, d): y += coef[c] x_c for the columns x_c = x + c stride;
 * scatter(coef, x, stride, y, count, len, d): y_c += (-coef[c] / d) x for y_c = y + c stride.
 */
function axpyColumnsBody(scatter: boolean): number[] {
  const [coef, x, stride, y, count, len, d] = [0, 1, 2, 3, 4, 5, 6];
  const [px, py, left] = [7, 8, 9];
  const alpha = 10;
  const va = 11;
  const code: number[] = [];
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  const set = (l: number) => code.push(LOCAL_SET, ...uleb(l));
  columnLoop(
    code,
    count,
    () => {
      get(coef);
      code.push(...f64Load(0));
      if (scatter) {
        code.push(F64_NEG);
        get(d);
        code.push(F64_DIV);
      }
      set(alpha);
      get(x);
      set(px);
      get(y);
      set(py);
      get(len);
      set(left);
      emitAxpy(code, alpha, px, py, left, va);
    },
    [
      [scatter ? y : x, stride],
      [coef, { bytes: 8 }],
    ],
  );
  code.push(END);
  return [
    ...vector([
      [3, I32_T],
      [1, F64_T],
      [1, V128_T],
    ]),
    ...code,
  ];
}

/** rot(p1, p2, len, cs, sn): x <- cs x + sn y, y <- cs y - sn x (a plane rotation of two runs). */
function rotBody(): number[] {
  const [p1, p2, len, cs, sn, vc, vs, x, y, xs, ys] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const code: number[] = [];
  const get = (l: number) => code.push(LOCAL_GET, ...uleb(l));
  get(cs);
  code.push(...F64X2_SPLAT, LOCAL_SET, vc);
  get(sn);
  code.push(...F64X2_SPLAT, LOCAL_SET, vs);
  pairLoop(
    code,
    len,
    [p1, p2],
    (o) => {
      get(p1);
      code.push(...v128Load(o), LOCAL_SET, x);
      get(p2);
      code.push(...v128Load(o), LOCAL_SET, y);
      get(p1);
      get(vc);
      get(x);
      code.push(...F64X2_MUL);
      get(vs);
      get(y);
      code.push(...F64X2_MUL, ...F64X2_ADD, ...v128Store(o));
      get(p2);
      get(vc);
      get(y);
      code.push(...F64X2_MUL);
      get(vs);
      get(x);
      code.push(...F64X2_MUL, ...F64X2_SUB, ...v128Store(o));
    },
    () => {
      get(p1);
      code.push(...f64Load(0), LOCAL_SET, xs);
      get(p2);
      code.push(...f64Load(0), LOCAL_SET, ys);
      get(p1);
      get(cs);
      get(xs);
      code.push(F64_MUL);
      get(sn);
      get(ys);
      code.push(F64_MUL, F64_ADD, ...f64Store(0));
      get(p2);
      get(cs);
      get(ys);
      code.push(F64_MUL);
      get(sn);
      get(xs);
      code.push(F64_MUL, F64_SUB, ...f64Store(0));
    },
  );
  code.push(END);
  return [
    ...vector([
      [4, V128_T],
      [2, F64_T],
    ]),
    ...code,
  ];
}

/** Largest shared memory (pages of 64 KiB) the shared-memory variant of the module accepts. */
const SHARED_MAX_PAGES = 65536;

function kernelModuleBytes(shared = false): Uint8Array {
  const I32 = I32_T;
  const types = [
    [0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0],
    [0x60, ...vector([[I32], [I32], [I32]]), ...vector([[F64_T]])],
    [0x60, ...vector([[F64_T], [I32], [I32], [I32]]), 0],
    [0x60, ...vector([[I32], [I32], [I32], [F64_T], [F64_T]]), 0],
    [0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [F64_T]]), 0],
    [0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32], [F64_T]]), 0],
  ];
  const limits = shared ? [0x03, ...uleb(1), ...uleb(SHARED_MAX_PAGES)] : [0x00, 1];
  return moduleBytes(types, limits, [
    { type: 0, name: 'block', body: body() },
    { type: 1, name: 'dot', body: dotBody() },
    { type: 2, name: 'axpy', body: axpyBody() },
    { type: 3, name: 'rot', body: rotBody() },
    { type: 4, name: 'reflect', body: reflectBody() },
    { type: 5, name: 'gather', body: axpyColumnsBody(false) },
    { type: 5, name: 'scatter', body: axpyColumnsBody(true) },
  ]);
}

/** BLAS-1 kernels over float64 runs in their own wasm memory (byte offsets). */
export interface WasmVectorOps {
  memory: WasmMemory;
  dot: (p1: number, p2: number, length: number) => number;
  axpy: (alpha: number, px: number, py: number, length: number) => void;
  rot: (p1: number, p2: number, length: number, cs: number, sn: number) => void;
  reflect: (v: number, col: number, count: number, strideBytes: number, length: number, v0: number) => void;
  gather: AxpyColumns;
  scatter: AxpyColumns;
}

/** (coef, x, strideBytes, y, count, length, d), byte pointers: see axpyColumnsBody. */
type AxpyColumns = (
  coef: number,
  x: number,
  strideBytes: number,
  y: number,
  count: number,
  length: number,
  d: number,
) => void;

let compiled: object | null | undefined;

function instantiate(): { memory: WasmMemory; exports: Record<string, unknown> } | null {
  if (compiled === undefined) {
    try {
      const bytes = kernelModuleBytes();
      compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  if (compiled === null || wasm === undefined) return null;
  const memory = new wasm.Memory({ initial: 1 });
  return { memory, exports: new wasm.Instance(compiled, { env: { memory } }).exports };
}

let compiledShared: object | null | undefined;

/**
 * A shared wasm memory of at least `bytes` (its buffer is a SharedArrayBuffer, which can be posted
 * to a worker), or null where wasm SIMD or shared memories are unavailable.
 */
export function wasmSharedMemory(bytes: number): WasmMemory | null {
  if (wasm === undefined || instantiate() === null) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > SHARED_MAX_PAGES) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
}

/** The SIMD BLAS-1 kernels over a shared memory from `wasmSharedMemory` (on any thread), or null. */
export function wasmVectorOpsOn(memory: WasmMemory): WasmVectorOps | null {
  if (wasm === undefined) return null;
  if (compiledShared === undefined) {
    try {
      const bytes = kernelModuleBytes(true);
      compiledShared = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiledShared = null;
    }
  }
  if (compiledShared === null) return null;
  return vectorInstanceOf({
    memory,
    exports: new wasm.Instance(compiledShared, { env: { memory } }).exports,
  });
}

function ensure(memory: WasmMemory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

let gemmInstance: WasmKernel | null | undefined;
let vectorInstance: WasmVectorOps | null | undefined;

/** The SIMD GEMM kernel with its own memory of at least `bytes`, or null where wasm SIMD is unavailable. */
export function wasmKernel(bytes: number): WasmKernel | null {
  if (gemmInstance === undefined) {
    const i = instantiate();
    gemmInstance = i === null ? null : { memory: i.memory, block: i.exports.block as WasmKernel['block'] };
  }
  if (gemmInstance !== null) ensure(gemmInstance.memory, bytes);
  return gemmInstance;
}

function vectorInstanceOf(i: { memory: WasmMemory; exports: Record<string, unknown> }): WasmVectorOps {
  return {
    memory: i.memory,
    dot: i.exports.dot as WasmVectorOps['dot'],
    axpy: i.exports.axpy as WasmVectorOps['axpy'],
    rot: i.exports.rot as WasmVectorOps['rot'],
    reflect: i.exports.reflect as WasmVectorOps['reflect'],
    gather: i.exports.gather as WasmVectorOps['gather'],
    scatter: i.exports.scatter as WasmVectorOps['scatter'],
  };
}

/** Heaps above this size get a one-off instance, so a single huge SVD does not pin its memory. */
const CACHED_HEAP_LIMIT = 64 * 1024 * 1024;

/** The SIMD BLAS-1 kernels with their own memory of at least `bytes`, or null where unavailable. */
export function wasmVectorOps(bytes: number): WasmVectorOps | null {
  if (vectorInstance === undefined) {
    const i = instantiate();
    vectorInstance = i === null ? null : vectorInstanceOf(i);
  }
  if (vectorInstance === null) return null;
  if (bytes > CACHED_HEAP_LIMIT) {
    const i = instantiate();
    if (i === null) return null;
    ensure(i.memory, bytes);
    return vectorInstanceOf(i);
  }
  ensure(vectorInstance.memory, bytes);
  return vectorInstance;
}
