/**
 * A WebAssembly SIMD (f64x2) micro-kernel for the blocked GEMM in gemm.ts, assembled at load time
 * from the opcodes below (no build step, no binary blob). It computes, for packed k-major panels
 * of 4 rows (A) and 4 columns (B), `C_block += A_panel^T B_panel` over whole mc x nc blocks with
 * 8 v128 accumulators per 4 x 4 tile: half the instructions of the scalar kernel. Plain JS cannot
 * express SIMD; V8 has shipped wasm SIMD since Node 16. When the engine rejects the module the
 * scalar kernel is used instead.
 */

// The ES2022 lib this repository compiles against has no WebAssembly declarations (they live in
// the DOM lib); these are the few members used here.
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

// Opcodes.
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_LT_U = 0x49;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const SIMD = 0xfd;
const v128Load = (offset: number) => [SIMD, 0x00, 3, ...uleb(offset)];
const v128Store = (offset: number) => [SIMD, 0x0b, 3, ...uleb(offset)];
const load64Splat = (offset: number) => [SIMD, 0x0a, 3, ...uleb(offset)];
const F64X2_ADD = [SIMD, ...uleb(0xf0)];
const F64X2_MUL = [SIMD, ...uleb(0xf2)];
const V128_ZERO = [SIMD, 0x0c, ...new Array(16).fill(0)];

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

function moduleBytes(): Uint8Array {
  const I32 = 0x7f;
  const type = section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0]]));
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]]));
  const functions = section(3, vector([[0]]));
  const exports = section(7, vector([[...name('block'), 0x00, 0]]));
  const code = body();
  const codeSection = section(10, vector([[...uleb(code.length), ...code]]));
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
    ...codeSection,
  ]);
}

let cached: WasmKernel | null | undefined;

/** The SIMD kernel with its own memory of at least `bytes`, or null where wasm SIMD is unavailable. */
export function wasmKernel(bytes: number): WasmKernel | null {
  if (cached === null) return null;
  if (cached === undefined) {
    try {
      const bytesOfModule = moduleBytes();
      if (wasm === undefined || !wasm.validate(bytesOfModule)) {
        cached = null;
        return null;
      }
      const memory = new wasm.Memory({ initial: 1 });
      const instance = new wasm.Instance(new wasm.Module(bytesOfModule), { env: { memory } });
      cached = { memory, block: instance.exports.block as WasmKernel['block'] };
    } catch {
      cached = null;
      return null;
    }
  }
  const missing = bytes - cached.memory.buffer.byteLength;
  if (missing > 0) cached.memory.grow(Math.ceil(missing / 65536));
  return cached;
}
