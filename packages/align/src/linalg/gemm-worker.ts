/**
 * Worker entry of the opt-in parallel GEMM (parallel-gemm.ts): computes one row chunk's partial
 * `A_chunk^T B_chunk` (or `A_chunk^T A_chunk`) with the same cache-blocked wasm SIMD GEMM as the
 * calling thread, from SharedArrayBuffer-backed inputs, and answers on its MessagePort. After
 * each answer it bumps its slot of the shared signal array, which the caller waits on with
 * `Atomics.wait` (so the public functions stay synchronous).
 */

import { type MessagePort, workerData } from 'node:worker_threads';
import { gemmTN, syrkTN } from './gemm.js';

/** One job: rows x m (and rows x p) float64 inputs at the given byte offsets of shared buffers. */
export interface GemmJob {
  kind: 'tn' | 'syrk';
  a: SharedArrayBuffer;
  aOffset: number;
  b?: SharedArrayBuffer;
  bOffset?: number;
  rows: number;
  m: number;
  p: number;
}

/** The answer: the partial product (m x p, row-major), or an error message. */
export type GemmReply = { result: Float64Array } | { error: string };

const { port, signal, slot } = workerData as { port: MessagePort; signal: SharedArrayBuffer; slot: number };
const flags = new Int32Array(signal);

port.on('message', (job: GemmJob) => {
  let reply: GemmReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const a = new Float64Array(job.a, job.aOffset, job.rows * job.m);
    let result: Float64Array;
    if (job.kind === 'syrk') {
      result = syrkTN(a, job.rows, job.m);
    } else {
      const b = new Float64Array(job.b as SharedArrayBuffer, job.bOffset ?? 0, job.rows * job.p);
      result = gemmTN(a, b, job.rows, job.m, job.p);
    }
    reply = { result };
    transfer.push(result.buffer as ArrayBuffer);
  } catch (error) {
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply, transfer);
  Atomics.add(flags, slot, 1);
  Atomics.notify(flags, slot);
});
