import {
  type WasmMemory,
  type WasmVectorOps,
  wasmSharedMemory,
  wasmVectorOps,
  wasmVectorOpsOn,
} from './wasm-kernel.js';

let useWasm = true;

/** Chooses the wasm SIMD BLAS-1 kernels (default) or plain TypeScript loops, for the SVD and QR (tests, benchmarks). */
export function setVectorKernel(kernel: 'wasm' | 'scalar'): void {
  useWasm = kernel === 'wasm';
}

/** The BLAS-1 kernels `vectorOps` currently hands out. */
export function vectorKernel(): 'wasm' | 'scalar' {
  return useWasm ? 'wasm' : 'scalar';
}

/** dot / axpy / rot over runs of one float64 heap, by element offset. */
export interface VectorOps {
  heap: Float64Array;
  dot(o1: number, o2: number, length: number): number;
  axpy(alpha: number, ox: number, oy: number, length: number): void;
  rot(o1: number, o2: number, length: number, cs: number, sn: number): void;
  /**
   * For `count` columns at col, col + stride, ...: col += (-(v . col) / v0) v over `length`
   * elements (a Householder reflector applied to a block; the same arithmetic as dot then axpy).
   */
  reflect(v: number, col: number, count: number, stride: number, length: number, v0: number): void;
  /** y += coef[c] x_c for `count` columns x_c = x + c stride (coef: heap offset); one axpy each. */
  gather(coef: number, x: number, stride: number, y: number, count: number, length: number): void;
  /** y_c += (-coef[c] / d) x for `count` columns y_c = y + c stride; one axpy each. */
  scatter(coef: number, x: number, y: number, stride: number, count: number, length: number, d: number): void;
}

/**
 * A zeroed float64 heap of `elements` entries with dot / axpy / rot over its runs: views of the
 * wasm SIMD kernels' memory when available, else plain TypeScript loops. The heap is shared
 * scratch: valid until the next call, so callers copy results out before calling again.
 */
export function vectorOps(elements: number): VectorOps {
  const w = useWasm ? wasmVectorOps(elements * 8) : null;
  if (w !== null) {
    const heap = new Float64Array(w.memory.buffer, 0, elements);
    heap.fill(0);
    return wasmOps(w, heap);
  }
  return scalarOps(new Float64Array(elements));
}

/** A heap two threads can both work on: a shared wasm memory, or a SharedArrayBuffer (scalar kernels). */
export interface SharedHeap {
  memory?: WasmMemory;
  buffer?: SharedArrayBuffer;
}

/**
 * Like `vectorOps`, but over a zeroed shared heap that `vectorOpsOnShared` opens on another
 * thread (the same kernels, so the same results): a shared wasm memory, or with the scalar
 * kernels (or no shared wasm memory) a SharedArrayBuffer and plain TypeScript loops.
 */
export function sharedVectorOps(elements: number): {
  ops: VectorOps;
  shared: SharedHeap;
  kernel: 'wasm' | 'scalar';
} {
  const memory = useWasm ? wasmSharedMemory(elements * 8) : null;
  const w = memory === null ? null : wasmVectorOpsOn(memory);
  if (memory !== null && w !== null) {
    return {
      ops: wasmOps(w, new Float64Array(memory.buffer, 0, elements)),
      shared: { memory },
      kernel: 'wasm',
    };
  }
  const buffer = new SharedArrayBuffer(elements * 8);
  return { ops: scalarOps(new Float64Array(buffer)), shared: { buffer }, kernel: 'scalar' };
}

/** The vector ops over a heap made by `sharedVectorOps` on another thread. */
export function vectorOpsOnShared(shared: SharedHeap, elements: number): VectorOps {
  if (shared.memory === undefined)
    return scalarOps(new Float64Array(shared.buffer as SharedArrayBuffer, 0, elements));
  const w = wasmVectorOpsOn(shared.memory);
  if (w === null) throw new Error('wasm SIMD kernels unavailable on this thread');
  return wasmOps(w, new Float64Array(shared.memory.buffer, 0, elements));
}

function wasmOps(w: WasmVectorOps, heap: Float64Array): VectorOps {
  return {
    heap,
    dot: (o1, o2, length) => (length > 0 ? w.dot(o1 * 8, o2 * 8, length) : 0),
    axpy: (alpha, ox, oy, length) => {
      if (length > 0) w.axpy(alpha, ox * 8, oy * 8, length);
    },
    rot: (o1, o2, length, cs, sn) => w.rot(o1 * 8, o2 * 8, length, cs, sn),
    reflect: (v, col, count, stride, length, v0) => {
      if (count > 0 && length > 0) w.reflect(v * 8, col * 8, count, stride * 8, length, v0);
    },
    gather: (coef, x, stride, y, count, length) => {
      if (count > 0 && length > 0) w.gather(coef * 8, x * 8, stride * 8, y * 8, count, length, 0);
    },
    scatter: (coef, x, y, stride, count, length, d) => {
      if (count > 0 && length > 0) w.scatter(coef * 8, x * 8, stride * 8, y * 8, count, length, d);
    },
  };
}

function scalarOps(heap: Float64Array): VectorOps {
  return {
    heap,
    dot(o1, o2, length) {
      let t = 0;
      for (let i = 0; i < length; i++) t += heap[o1 + i] * heap[o2 + i];
      return t;
    },
    axpy(alpha, ox, oy, length) {
      for (let i = 0; i < length; i++) heap[oy + i] += alpha * heap[ox + i];
    },
    rot(o1, o2, length, cs, sn) {
      for (let i = 0; i < length; i++) {
        const x = heap[o1 + i];
        const y = heap[o2 + i];
        heap[o1 + i] = cs * x + sn * y;
        heap[o2 + i] = cs * y - sn * x;
      }
    },
    reflect(v, col, count, stride, length, v0) {
      for (let c = 0; c < count; c++) {
        const o = col + c * stride;
        const t = -this.dot(v, o, length) / v0;
        this.axpy(t, v, o, length);
      }
    },
    gather(coef, x, stride, y, count, length) {
      for (let c = 0; c < count; c++) this.axpy(heap[coef + c], x + c * stride, y, length);
    },
    scatter(coef, x, y, stride, count, length, d) {
      for (let c = 0; c < count; c++) this.axpy(-heap[coef + c] / d, x, y + c * stride, length);
    },
  };
}
