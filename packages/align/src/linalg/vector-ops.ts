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
  };
}
