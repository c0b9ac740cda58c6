/**
 * Encoding of hand-assembled WebAssembly modules (LEB128 numbers, sections, the opcodes the
 * kernels use) and the few `WebAssembly` members they need, shared by wasm-kernel.ts (GEMM
 * micro-kernel, dot/axpy/rot) and gemv-kernel.ts (matrix-vector products).
 *
 * @see WebAssembly Core Specification 2.0, binary format; the fixed-width SIMD proposal
 */

// The ES2022 lib this repository compiles against has no WebAssembly declarations (they live in
// the DOM lib); these are the few members used here.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
export const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
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
export const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];
export const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/**
 * A module importing `env.memory` (`limits`: the memory's limits bytes) whose functions, with
 * the given type indices, bodies and export names, are exported in order.
 */
export function moduleBytes(
  types: number[][],
  limits: number[],
  functions: { type: number; name: string; body: number[] }[],
): Uint8Array {
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]]));
  const exports = vector(functions.map((f, i) => [...name(f.name), 0x00, i]));
  const bodies = vector(functions.map((f) => [...uleb(f.body.length), ...f.body]));
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...imports,
    ...section(3, vector(functions.map((f) => [f.type]))),
    ...section(7, exports),
    ...section(10, bodies),
  ]);
}

// Value types, control, locals, integer and float opcodes.
export const I32_T = 0x7f;
export const F64_T = 0x7c;
export const V128_T = 0x7b;
export const BLOCK = 0x02;
export const LOOP = 0x03;
export const IF = 0x04;
export const END = 0x0b;
export const BR = 0x0c;
export const BR_IF = 0x0d;
export const VOID = 0x40;
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const I32_CONST = 0x41;
export const I32_LT_S = 0x48;
export const I32_LT_U = 0x49;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_MUL = 0x6c;
export const F64_ADD = 0xa0;
export const F64_SUB = 0xa1;
export const F64_MUL = 0xa2;
export const F64_DIV = 0xa3;
export const F64_NEG = 0x9a;
export const I32_EQZ = 0x45;
/** f64.const 0 */
export const F64_ZERO = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
/** f64.load / f64.store with 8-byte alignment at a constant offset. */
export const f64Load = (offset: number) => [0x2b, 3, ...uleb(offset)];
export const f64Store = (offset: number) => [0x39, 3, ...uleb(offset)];

// SIMD (0xfd prefix).
export const SIMD = 0xfd;
export const v128Load = (offset: number) => [SIMD, 0x00, 3, ...uleb(offset)];
export const v128Store = (offset: number) => [SIMD, 0x0b, 3, ...uleb(offset)];
export const load64Splat = (offset: number) => [SIMD, 0x0a, 3, ...uleb(offset)];
export const V128_ZERO = [SIMD, 0x0c, ...new Array(16).fill(0)];
export const F64X2_SPLAT = [SIMD, 0x14];
export const extractLane = (lane: number) => [SIMD, 0x21, lane];
export const F64X2_ADD = [SIMD, ...uleb(0xf0)];
export const F64X2_SUB = [SIMD, ...uleb(0xf1)];
export const F64X2_MUL = [SIMD, ...uleb(0xf2)];
