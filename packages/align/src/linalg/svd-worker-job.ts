/**
 * The worker side of a parallel SVD (svd-parallel.ts), run by a pool worker (gemm-worker.ts) on
 * the calling thread's shared heap, with the same kernels as the calling thread: an `svd-v` job
 * forms V^T from the Householder vectors and/or replays a rotation log on it.
 */

import { formV } from './householder-products.js';
import { replayRotationLog } from './rotation-log.js';
import { type SharedHeap, vectorOpsOnShared } from './vector-ops.js';

interface SharedJob {
  heap: SharedHeap;
  /** float64 elements of the heap. */
  elements: number;
  /** For tests: throw instead of running. */
  fail?: boolean;
}

/** Forms and/or rotates V^T (n x n at element offset `vt` of the heap). */
export interface SvdVJob extends SharedJob {
  kind: 'svd-v';
  vt: number;
  n: number;
  /** When set, form V^T first: the bidiagonalisation's `nrt` and superdiagonal. */
  form?: { nrt: number; e: Float64Array };
  /** Rotation log entries (rotation-log.ts) to replay on V^T, after forming. */
  log?: Uint8Array;
}

export type SvdJob = SvdVJob;

export function runSvdJob(job: SvdJob): void {
  if (job.fail) throw new Error('injected SVD worker failure (test)');
  const ops = vectorOpsOnShared(job.heap, job.elements);
  if (job.form !== undefined) formV(ops, job.vt, job.n, job.form.nrt, job.form.e);
  if (job.log !== undefined) replayRotationLog(ops, job.log, job.vt, job.n);
}
