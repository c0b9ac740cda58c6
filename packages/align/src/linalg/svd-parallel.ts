/**
 * The V side of golub-kahan-svd.ts on a pool worker (parallel-gemm.ts), behind `threads >= 2`:
 * the calling thread forms U and replays the QR chase's U rotations while the worker forms V and
 * replays the V rotations (svd-worker-job.ts). V^T travels on a SharedArrayBuffer; jobs posted
 * to the worker run in order, and `finish` blocks with Atomics.wait, so the SVD stays
 * synchronous. Every element of V^T gets the same floating-point operations, with the same
 * kernels, as on the serial path: the result is bit-identical to `threads = 1`.
 */

import { XlingError } from '@xling/core';
import { drainWorker, postWorkerJob, terminateParallelWorkers } from './parallel-gemm.js';
import type { SvdVJob } from './svd-worker-job.js';
import { vectorKernel } from './vector-ops.js';

/** Below this min(m, n) an SVD stays on the calling thread (measured: see bench/svd.ts). */
let minSize = 128;
let svdRuns = 0;
let failNext = false;

/** For tests: the smallest min(m, n) whose SVD is split over two threads. */
export function setParallelSvdMinSize(size: number): void {
  minSize = size;
}

/** For tests: how many SVDs have been split over threads so far. */
export function parallelSvdRunCount(): number {
  return svdRuns;
}

/** For tests: the next parallel SVD's worker job throws. */
export function failNextParallelSvd(): void {
  failNext = true;
}

/** Whether an SVD with vectors of an m x n matrix (m >= n) runs on `threads` threads. */
export function useParallelSvd(n: number, threads: number): boolean {
  return threads >= 2 && n >= minSize;
}

/** The V factor of one SVD, formed and rotated by pool worker 0. */
export class ParallelVFactor {
  private readonly vt: Float64Array;
  private readonly kernel = vectorKernel();
  private readonly fail = failNext;

  /** Starts forming V^T from the n x n Householder rows `vt` (copied) on the worker. */
  constructor(
    vt: Float64Array,
    private readonly n: number,
    nrt: number,
    e: Float64Array,
  ) {
    svdRuns += 1;
    failNext = false;
    this.vt = new Float64Array(new SharedArrayBuffer(n * n * 8));
    this.vt.set(vt.subarray(0, n * n));
    this.post({ form: { nrt, e: Float64Array.from(e) } });
  }

  private post(extra: Partial<SvdVJob>, transfer?: ArrayBuffer[]): void {
    const job: SvdVJob = {
      kind: 'svd-v',
      vt: this.vt.buffer as SharedArrayBuffer,
      n: this.n,
      kernel: this.kernel,
    };
    if (this.fail) job.fail = true;
    postWorkerJob(0, { ...job, ...extra }, transfer);
  }

  /** Queues the replay of rotation-log entries (copied) on V^T, after the jobs already posted. */
  replay(log: Uint8Array): void {
    if (log.byteLength === 0) return;
    const copy = log.slice();
    this.post({ log: copy }, [copy.buffer]);
  }

  /** Waits for the worker and copies V^T into `out` at element offset `offset`. */
  finish(out: Float64Array, offset: number): void {
    const failure = drainWorker(0);
    if (failure !== null) {
      void terminateParallelWorkers();
      throw new XlingError('XLING_WORKER_FAILED', `A parallel SVD worker failed: ${failure}`);
    }
    out.set(this.vt, offset);
  }
}
