/**
 * Worker entry of the opt-in thread pool (parallel-gemm.ts): for each job it claims row chunks
 * (gemm-chunks.ts) and computes their partial products with the same cache-blocked wasm SIMD GEMM
 * as the calling thread, posting each on its MessagePort; or, for an `svd-v` job, helps with a
 * parallel SVD (svd-worker-job.ts); or, for a `concept-*` job, prepares languages or compares
 * pairs of concept spaces (compare/pair-work.ts). Then it bumps its slot of the shared signal
 * array, which the caller waits on with `Atomics.wait` (so the public functions stay synchronous).
 */

import { type MessagePort, workerData } from 'node:worker_threads';
import { type CompareJob, type PrepareJob, runPairJob } from '../compare/pair-work.js';
import { type GemmJob, claimChunks } from './gemm-chunks.js';
import { type SvdJob, runSvdJob } from './svd-worker-job.js';

/** Messages to the caller: partial products or prepared states, an error, then `done`. */
export type GemmReply =
  | { chunk: number; result: Float64Array }
  | { units: number[]; states: unknown[][] }
  | { error: string }
  | { done: true };

const { port, signal, slot } = workerData as { port: MessagePort; signal: SharedArrayBuffer; slot: number };
const flags = new Int32Array(signal);

port.on('message', (job: GemmJob | SvdJob | PrepareJob | CompareJob) => {
  try {
    if (job.kind === 'svd-v') {
      runSvdJob(job);
    } else if (job.kind === 'concept-prepare' || job.kind === 'concept-compare') {
      runPairJob(job, (units, states) => {
        const reply: GemmReply = { units, states };
        port.postMessage(reply);
      });
    } else {
      claimChunks(job, (chunk, result) => {
        const reply: GemmReply = { chunk, result };
        port.postMessage(reply, [result.buffer as ArrayBuffer]);
      });
    }
  } catch (error) {
    const reply: GemmReply = {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
    port.postMessage(reply);
  }
  const done: GemmReply = { done: true };
  port.postMessage(done);
  Atomics.add(flags, slot, 1);
  Atomics.notify(flags, slot);
});
