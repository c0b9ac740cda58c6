/**
 * Opt-in multi-threaded `A^T B` and `A^T A` for tall inputs (n >> d), behind the public
 * functions' `threads` option. The n rows are cut into `threads` chunks at fixed boundaries
 * (multiples of the GEMM's k panel); the calling thread computes chunk 0 and a small pool of
 * node:worker_threads the others, each with the same cache-blocked wasm SIMD kernel (gemm.ts)
 * on SharedArrayBuffer-backed rows. The partial products are then added in chunk order, so the
 * result depends only on the data and the thread count, never on timing. The caller blocks with
 * `Atomics.wait` while it waits, which keeps every public function synchronous.
 *
 * Workers are created lazily on the first parallel product, `unref`'d (they never keep a process
 * alive) and reused; `terminateParallelWorkers` stops them. Nothing here runs unless a caller
 * passes `threads > 1`.
 */

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type MessagePort, MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { XlingError } from '@xling/core';
import { gemmTN, syrkTN } from './gemm.js';
import type { GemmJob, GemmReply } from './gemm-worker.js';

/** Chunk boundaries are multiples of this many rows (the GEMM's k panel). */
const CHUNK_ALIGN = 256;
/** Below this many multiply-adds (m p n) a product stays on the calling thread. */
let minWork = 1 << 23;

/** For tests: the smallest product (in multiply-adds) that is split over threads. */
export function setParallelMinWork(work: number): void {
  minWork = work;
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  flags: Int32Array;
  seen: number;
}

let pool: PoolWorker[] = [];
let runs = 0;

/** For tests: how many products have been split over threads so far. */
export function parallelRunCount(): number {
  return runs;
}

/**
 * Started as `eval` code so it can register tsx first when running from TypeScript sources. It
 * must parse both as a script and as a module: workers inherit the parent's `execArgv`, which
 * may hold `--input-type=module`.
 */
const BOOTSTRAP = `import('node:worker_threads').then(({ workerData }) => {
  const fail = (error) => {
    workerData.port.postMessage({ error: 'the GEMM worker did not start: ' + ((error && error.stack) || error) });
    const flags = new Int32Array(workerData.signal);
    Atomics.add(flags, workerData.slot, 1);
    Atomics.notify(flags, workerData.slot);
  };
  const start = async () => {
    if (workerData.register) (await import(workerData.register)).register();
    await import(workerData.url);
  };
  return start().catch(fail);
});`;

/**
 * Where the worker entry is: beside this module's file, as `gemm-worker.js` (ESM build),
 * `gemm-worker.cjs` (CommonJS build; tsup's shim supplies import.meta.url) or `gemm-worker.ts`
 * (sources under vitest or tsx, loaded through tsx's ESM hooks).
 */
function workerEntry(): { url: string; register?: string } {
  const here = import.meta.url;
  const extension = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : '.js';
  const url = new URL(`./gemm-worker${extension}`, here).href;
  if (extension !== '.ts') return { url };
  const resolved = createRequire(here).resolve('tsx/esm/api');
  return { url, register: pathToFileURL(resolved.replace(/\.cjs$/, '.mjs')).href };
}

function startWorker(): PoolWorker {
  const signal = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { ...workerEntry(), port: port2, signal, slot: 0 },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  return { worker, port: port1, flags: new Int32Array(signal), seen: 0 };
}

/**
 * Stops the pool's workers (they are `unref`'d, so a process exits without this; call it to
 * release their memory at once, or in test teardown). A later parallel call starts new ones.
 */
export async function terminateParallelWorkers(): Promise<void> {
  const workers = pool;
  pool = [];
  await Promise.all(
    workers.map(async (w) => {
      w.port.close();
      await w.worker.terminate();
    }),
  );
}

/** The number of chunks a product of n rows and m x p output is split into. */
function chunkCount(n: number, m: number, p: number, threads: number): number {
  if (threads <= 1 || n * m * p < minWork) return 1;
  return Math.max(1, Math.min(threads, Math.floor(n / CHUNK_ALIGN)));
}

/** Row boundaries of `chunks` near-equal chunks of n rows, aligned to CHUNK_ALIGN. */
function boundaries(n: number, chunks: number): number[] {
  const out = [0];
  for (let t = 1; t < chunks; t++) {
    const r = Math.round((n * t) / chunks / CHUNK_ALIGN) * CHUNK_ALIGN;
    out.push(Math.min(n, Math.max(out[t - 1], r)));
  }
  out.push(n);
  return out;
}

/**
 * The rows [r0, n) of a row-major n x cols array on a shared buffer: row r then starts at byte
 * `offset + r * cols * 8` (shared inputs are used in place, others copied from row r0 on).
 */
function sharedRows(
  a: Float64Array,
  cols: number,
  r0: number,
): { buffer: SharedArrayBuffer; offset: number } {
  if (a.buffer instanceof SharedArrayBuffer) return { buffer: a.buffer, offset: a.byteOffset };
  const length = a.length - r0 * cols;
  const buffer = new SharedArrayBuffer(length * 8);
  new Float64Array(buffer).set(a.subarray(r0 * cols));
  return { buffer, offset: -r0 * cols * 8 };
}

/** A zero-filled float64 array on a SharedArrayBuffer (workers then read it without a copy). */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

function run(
  kind: 'tn' | 'syrk',
  a: Float64Array,
  b: Float64Array | null,
  n: number,
  m: number,
  p: number,
  chunks: number,
): Float64Array {
  runs += 1;
  const bounds = boundaries(n, chunks);
  const r1 = bounds[1];
  const sa = sharedRows(a, m, r1);
  const sb = b === null ? null : sharedRows(b, p, r1);
  while (pool.length < chunks - 1) pool.push(startWorker());
  for (let t = 1; t < chunks; t++) {
    const rows = bounds[t + 1] - bounds[t];
    const job: GemmJob = {
      kind,
      a: sa.buffer,
      aOffset: sa.offset + bounds[t] * m * 8,
      rows,
      m,
      p,
    };
    if (sb !== null) {
      job.b = sb.buffer;
      job.bOffset = sb.offset + bounds[t] * p * 8;
    }
    pool[t - 1].port.postMessage(job);
  }
  const c =
    kind === 'syrk'
      ? syrkTN(a.subarray(0, r1 * m), r1, m)
      : gemmTN(a.subarray(0, r1 * m), (b as Float64Array).subarray(0, r1 * p), r1, m, p);
  let failure: string | null = null;
  for (let t = 1; t < chunks; t++) {
    const w = pool[t - 1];
    w.seen += 1;
    while (Atomics.load(w.flags, 0) < w.seen) Atomics.wait(w.flags, 0, w.seen - 1);
    const reply = receiveMessageOnPort(w.port)?.message as GemmReply | undefined;
    if (reply === undefined || 'error' in reply) {
      failure ??= reply === undefined ? 'no answer' : reply.error;
      continue;
    }
    const part = reply.result;
    for (let k = 0; k < c.length; k++) c[k] += part[k];
  }
  if (failure !== null) {
    void terminateParallelWorkers();
    throw new XlingError('XLING_WORKER_FAILED', `A parallel GEMM worker failed: ${failure}`);
  }
  return c;
}

/** `A^T B` for row-major A (n x m) and B (n x p), split over up to `threads` threads by rows. */
export function parallelGemmTN(
  a: Float64Array,
  b: Float64Array,
  n: number,
  m: number,
  p: number,
  threads: number,
): Float64Array {
  const chunks = chunkCount(n, m, p, threads);
  if (chunks <= 1) return gemmTN(a, b, n, m, p);
  return run('tn', a, b, n, m, p, chunks);
}

/** `A^T A` for row-major A (n x m), split over up to `threads` threads by rows. */
export function parallelSyrkTN(a: Float64Array, n: number, m: number, threads: number): Float64Array {
  const chunks = chunkCount(n, m, m, threads);
  if (chunks <= 1) return syrkTN(a, n, m);
  return run('syrk', a, null, n, m, m, chunks);
}
