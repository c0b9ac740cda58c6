/**
 * golub-kahan-svd.ts on two threads, behind `threads >= 2`: the heap lives in shared memory
 * (a shared wasm memory, or a SharedArrayBuffer with the scalar kernels), and after the
 * bidiagonalisation pool worker 0 (parallel-gemm.ts) forms V and replays the QR chase's V
 * rotations on it (svd-worker-job.ts) while the calling thread forms U and replays the U
 * rotations. Every element gets the same floating-point operations, with the same kernels, as
 * on one thread: the result is bit-identical to `threads = 1`. The calling thread blocks
 * (Atomics.wait) while it waits, so the SVD stays synchronous.
 *
 * Splitting each step of the bidiagonalisation too (a fork-join per pass, 3 per step) was
 * measured at 768 x 768: 1.3x on those passes on an idle machine, several times slower when
 * another process holds a core, so it stays on the calling thread.
 */

import { XlingError } from '@xling/core';
import { drainWorker, postWorkerJob, terminateParallelWorkers } from './parallel-gemm.js';
import type { SvdVJob } from './svd-worker-job.js';
import type { SharedHeap, VectorOps } from './vector-ops.js';

/** Below this min(m, n) an SVD stays on the calling thread (measured: see bench/svd.ts). */
let minSize = 160;
let svdRuns = 0;
let failNext = false;

/** For tests: the smallest min(m, n) whose SVD is split over two threads (default 160). */
export function setParallelSvdMinSize(size: number): void {
  minSize = size;
}

/** For tests: how many SVDs have been split over threads so far. */
export function parallelSvdRunCount(): number {
  return svdRuns;
}

/** For tests: the next parallel SVD's worker jobs throw. */
export function failNextParallelSvd(): void {
  failNext = true;
}

/** Whether an SVD with vectors of an m x n matrix (m >= n) runs on `threads` threads. */
export function useParallelSvd(n: number, threads: number): boolean {
  return threads >= 2 && n >= minSize;
}

function fail(failure: string): never {
  void terminateParallelWorkers();
  throw new XlingError('XLING_WORKER_FAILED', `A parallel SVD worker failed: ${failure}`);
}

/** The worker side of one parallel SVD: its jobs, in order, on pool worker 0. */
export class SvdWorker {
  private readonly fail = failNext;

  constructor(
    private readonly ops: VectorOps,
    private readonly heap: SharedHeap,
  ) {
    svdRuns += 1;
    failNext = false;
  }

  private post(job: Omit<SvdVJob, 'heap' | 'elements'>, transfer?: ArrayBuffer[]): void {
    const full: SvdVJob = { ...job, heap: this.heap, elements: this.ops.heap.length };
    if (this.fail) full.fail = true;
    postWorkerJob(0, full, transfer);
  }

  /** Queues forming V^T (n x n at element offset `vt`) from the Householder rows there. */
  formV(vt: number, n: number, nrt: number, e: Float64Array): void {
    this.post({ kind: 'svd-v', vt, n, form: { nrt, e: Float64Array.from(e) } });
  }

  /** Queues the replay of rotation-log entries (copied) on V^T. */
  replayV(vt: number, n: number, log: Uint8Array): void {
    if (log.byteLength === 0) return;
    const copy = log.slice();
    this.post({ kind: 'svd-v', vt, n, log: copy }, [copy.buffer]);
  }

  /** Waits until the worker has finished every job; throws XLING_WORKER_FAILED if one failed. */
  finish(): void {
    const failure = drainWorker(0);
    if (failure !== null) fail(failure);
  }
}
