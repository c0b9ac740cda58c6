/**
 * The unit of work of the parallel GEMM (parallel-gemm.ts), shared by the calling thread and the
 * workers (gemm-worker.ts): the rows of a tall product are cut into chunks at fixed boundaries,
 * and every thread claims the next unclaimed chunk from a shared counter until none are left.
 * A chunk's partial product does not depend on which thread computed it, and the caller adds
 * the partials in chunk order, so the result depends only on the data and the boundaries.
 */

import { gemmTN, syrkTN } from './gemm.js';
import { claim } from './shared-counter.js';

/** One parallel product: n x m (and n x p) float64 inputs on shared buffers. */
export interface GemmJob {
  /** `'tn'`: `A^T B` (m x p); `'syrk'`: `A^T A` (m x m). */
  kind: 'tn' | 'syrk';
  a: SharedArrayBuffer;
  /** Byte offset of row 0 of A. */
  aOffset: number;
  b?: SharedArrayBuffer;
  bOffset?: number;
  m: number;
  p: number;
  /** Chunk row boundaries, ascending from 0 to n (chunks = length - 1). */
  bounds: number[];
  /** One Int32: the next chunk to claim. */
  next: SharedArrayBuffer;
}

/** Claims chunks of `job` until none are left, handing each partial product to `onPartial`. */
export function claimChunks(job: GemmJob, onPartial: (chunk: number, product: Float64Array) => void): void {
  const { m, p, bounds } = job;
  claim(job.next, bounds.length - 1, 1, (chunk) => {
    const r0 = bounds[chunk];
    const rows = bounds[chunk + 1] - r0;
    const a = new Float64Array(job.a, job.aOffset + r0 * m * 8, rows * m);
    if (job.kind === 'syrk') {
      onPartial(chunk, syrkTN(a, rows, m));
    } else {
      const b = new Float64Array(job.b as SharedArrayBuffer, (job.bOffset ?? 0) + r0 * p * 8, rows * p);
      onPartial(chunk, gemmTN(a, b, rows, m, p));
    }
  });
}
