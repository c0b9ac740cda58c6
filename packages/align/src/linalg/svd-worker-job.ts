/**
 * The V side of a parallel SVD (svd-parallel.ts), as run by a pool worker (gemm-worker.ts): V^T
 * lives on a SharedArrayBuffer between jobs; each job copies it into this thread's wasm heap,
 * forms it from the Householder vectors and/or replays a rotation log on it, with the same
 * kernels as the calling thread's serial path, and copies it back.
 */

import { formV } from './householder-products.js';
import { replayRotationLog } from './rotation-log.js';
import { setVectorKernel, vectorOps } from './vector-ops.js';

/** One job on the V factor of a parallel SVD. */
export interface SvdVJob {
  kind: 'svd-v';
  /** n x n float64: V^T (row k = column k of V). */
  vt: SharedArrayBuffer;
  n: number;
  /** The BLAS-1 kernels the calling thread uses (the result depends on them). */
  kernel: 'wasm' | 'scalar';
  /** When set, form V^T first: the bidiagonalisation's `nrt` and superdiagonal. */
  form?: { nrt: number; e: Float64Array };
  /** Rotation log entries (rotation-log.ts) to replay on V^T, after forming. */
  log?: Uint8Array;
  /** For tests: throw instead of running. */
  fail?: boolean;
}

export function runSvdVJob(job: SvdVJob): void {
  if (job.fail) throw new Error('injected SVD worker failure (test)');
  const { n } = job;
  setVectorKernel(job.kernel);
  const ops = vectorOps(n * n);
  const shared = new Float64Array(job.vt, 0, n * n);
  ops.heap.set(shared);
  if (job.form !== undefined) formV(ops, 0, n, job.form.nrt, job.form.e);
  if (job.log !== undefined) replayRotationLog(ops, job.log, 0, n);
  shared.set(ops.heap.subarray(0, n * n));
}
