/**
 * A compact, growable record of the row operations that the implicit-shift QR chase of
 * golub-kahan-svd.ts applies to U^T or V^T: plane rotations `rot(a, b, cs, sn)`, the sign flip of
 * a row and row swaps. The chase runs on the bidiagonal alone and records them; the log is then
 * replayed onto the matrix (replayRotationLog), on this thread or a worker's, with the same
 * kernel and operand order, so every element goes through exactly the floating-point operations
 * of rotating it in place during the chase.
 *
 * Entry layout (24 bytes): float64 cs, float64 sn, int32 a, int32 b.
 * `a >= 0, b >= 0`: rotate rows a and b; `a >= 0, b < 0`: negate row a; `a < 0`: swap rows ~a and b.
 */

import type { VectorOps } from './vector-ops.js';

/** Bytes per log entry. */
export const ENTRY_BYTES = 24;

export class RotationLog {
  buffer: ArrayBuffer;
  f64: Float64Array;
  i32: Int32Array;
  count = 0;
  /** Rotations (not flips or swaps) recorded so far. */
  rotations = 0;

  constructor(capacity = 1024) {
    this.buffer = new ArrayBuffer(capacity * ENTRY_BYTES);
    this.f64 = new Float64Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  private grow(): void {
    const bigger = new ArrayBuffer(this.buffer.byteLength * 2);
    new Uint8Array(bigger).set(new Uint8Array(this.buffer));
    this.buffer = bigger;
    this.f64 = new Float64Array(bigger);
    this.i32 = new Int32Array(bigger);
  }

  private push(cs: number, sn: number, a: number, b: number): void {
    if ((this.count + 1) * ENTRY_BYTES > this.buffer.byteLength) this.grow();
    const e = this.count++;
    this.f64[3 * e] = cs;
    this.f64[3 * e + 1] = sn;
    this.i32[6 * e + 4] = a;
    this.i32[6 * e + 5] = b;
  }

  /** rows a, b <- (cs a + sn b, cs b - sn a) */
  rot(a: number, b: number, cs: number, sn: number): void {
    this.rotations++;
    this.push(cs, sn, a, b);
  }

  /** row a <- -row a */
  negate(a: number): void {
    this.push(0, 0, a, -1);
  }

  /** swap rows a and b */
  swap(a: number, b: number): void {
    this.push(0, 0, ~a, b);
  }

  /** The recorded entries as bytes (a view, valid until the next push). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buffer, 0, this.count * ENTRY_BYTES);
  }

  clear(): void {
    this.count = 0;
    this.rotations = 0;
  }
}

/**
 * Applies `count` log entries (`bytes`, in the layout above) to the rows of a row-major matrix
 * of `len`-element rows at element offset `base` of `ops.heap`, in log order.
 */
export function replayRotationLog(ops: VectorOps, bytes: Uint8Array, base: number, len: number): void {
  const count = Math.floor(bytes.byteLength / ENTRY_BYTES);
  if (count === 0) return;
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const f64 = new Float64Array(aligned.buffer, aligned.byteOffset, count * 3);
  const i32 = new Int32Array(aligned.buffer, aligned.byteOffset, count * 6);
  const { heap } = ops;
  for (let e = 0; e < count; e++) {
    const a = i32[6 * e + 4];
    const b = i32[6 * e + 5];
    if (a >= 0 && b >= 0) {
      ops.rot(base + a * len, base + b * len, len, f64[3 * e], f64[3 * e + 1]);
    } else if (a >= 0) {
      const o = base + a * len;
      for (let i = 0; i < len; i++) heap[o + i] = -heap[o + i];
    } else {
      const o1 = base + ~a * len;
      const o2 = base + b * len;
      for (let i = 0; i < len; i++) {
        const t = heap[o1 + i];
        heap[o1 + i] = heap[o2 + i];
        heap[o2 + i] = t;
      }
    }
  }
}
