/**
 * Opt-in multi-threaded `A^T B` and `A^T A` for tall inputs (n >> d), behind the public
 * functions' `threads` option. The n rows are cut into 3 x `threads` chunks at fixed boundaries
 * (multiples of the GEMM's k panel); the calling thread and `threads - 1` pooled
 * node:worker_threads claim chunks from a shared counter (gemm-chunks.ts) and compute their
 * partial products with the same cache-blocked wasm SIMD kernel (gemm.ts) on
 * SharedArrayBuffer-backed rows. The partials are then added in chunk order, so the result
 * depends only on the data and the thread count, never on timing or on which thread took which
 * chunk. The caller blocks with `Atomics.wait` while it waits, which keeps every public function
 * synchronous.
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
import { type GemmJob, claimChunks } from './gemm-chunks.js';
import type { GemmReply } from './gemm-worker.js';
import type { CompareJob, PrepareJob } from '../compare/pair-work.js';
import type { SvdJob } from './svd-worker-job.js';

/** Chunk boundaries are multiples of this many rows (the GEMM's k panel). */
const CHUNK_ALIGN = 256;
/** Chunks per thread: finer chunks balance uneven load, at one m x p partial product each. */
const CHUNKS_PER_THREAD = 3;
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
  /** Jobs posted to this worker so far (its flag counts those finished). */
  posted: number;
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
    Atomics.store(flags, workerData.slot, 0x3fffffff);
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
  return { worker, port: port1, flags: new Int32Array(signal), posted: 0 };
}

/**
 * Stops the pool's workers (they are `unref`'d, so a process exits without this; call it to
 * release their memory at once, or in test teardown). A later parallel call starts new ones.
 */
export async function terminateParallelWorkers(): Promise<void> {
  const workers = pool;
  pool = [];
  scratch = null;
  await Promise.all(
    workers.map(async (w) => {
      w.port.close();
      await w.worker.terminate();
    }),
  );
}

/**
 * The number of chunks a product of n rows and m x p output is cut into: three per thread (so a
 * thread slowed by other load hands its share to the others), at least 256 rows each.
 */
function chunkCount(n: number, m: number, p: number, threads: number): number {
  if (threads <= 1 || n * m * p < minWork) return 1;
  return Math.max(1, Math.min(CHUNKS_PER_THREAD * threads, Math.floor(n / CHUNK_ALIGN)));
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
 * Inputs that are not on shared memory are copied into one reused SharedArrayBuffer: fresh shared
 * memory costs a page fault per 4 KiB, and on this project's VM copying X and Y (10,000 x 768
 * each) into new buffers took as long as the product itself, so two threads were slower than one.
 * Up to SCRATCH_LIMIT bytes are kept between calls; `terminateParallelWorkers` frees them.
 */
const SCRATCH_LIMIT = 256 * 1024 * 1024;
let scratch: SharedArrayBuffer | null = null;

/** The product's inputs on shared buffers: in place where they already are, else copied to scratch. */
function sharedInputs(arrays: Float64Array[]): { buffer: SharedArrayBuffer; offset: number }[] {
  const copied = arrays.filter((x) => !(x.buffer instanceof SharedArrayBuffer));
  const bytes = copied.reduce((sum, x) => sum + x.byteLength, 0);
  let target: SharedArrayBuffer | null = null;
  if (bytes > 0) {
    if (bytes > SCRATCH_LIMIT) target = new SharedArrayBuffer(bytes);
    else {
      if (scratch === null || scratch.byteLength < bytes) scratch = new SharedArrayBuffer(bytes);
      target = scratch;
    }
  }
  let offset = 0;
  return arrays.map((x) => {
    if (x.buffer instanceof SharedArrayBuffer) return { buffer: x.buffer, offset: x.byteOffset };
    const at = offset;
    new Float64Array(target as SharedArrayBuffer, at, x.length).set(x);
    offset += x.byteLength;
    return { buffer: target as SharedArrayBuffer, offset: at };
  });
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
  threads: number,
): Float64Array {
  runs += 1;
  const [sa, sb] = sharedInputs(
    b === null ? [a.subarray(0, n * m)] : [a.subarray(0, n * m), b.subarray(0, n * p)],
  );
  const job: GemmJob = {
    kind,
    a: sa.buffer,
    aOffset: sa.offset,
    m,
    p,
    bounds: boundaries(n, chunks),
    next: new SharedArrayBuffer(4),
  };
  if (sb !== undefined) {
    job.b = sb.buffer;
    job.bOffset = sb.offset;
  }
  const helpers = Math.min(threads, chunks) - 1;
  for (let t = 0; t < helpers; t++) postWorkerJob(t, job);
  const partials: (Float64Array | undefined)[] = new Array(chunks);
  claimChunks(job, (chunk, product) => {
    partials[chunk] = product;
  });
  let failure: string | null = null;
  for (let t = 0; t < helpers; t++) {
    failure ??= drainWorker(t, (reply) => {
      partials[reply.chunk] = reply.result;
    });
  }
  if (failure === null && partials.some((x) => x === undefined)) failure = 'a chunk was not computed';
  if (failure !== null) {
    void terminateParallelWorkers();
    throw new XlingError('XLING_WORKER_FAILED', `A parallel GEMM worker failed: ${failure}`);
  }
  // Partial sums in chunk order: the result does not depend on which thread took which chunk.
  const c = partials[0] as Float64Array;
  for (let t = 1; t < chunks; t++) {
    const part = partials[t] as Float64Array;
    for (let k = 0; k < c.length; k++) c[k] += part[k];
  }
  return c;
}

/**
 * Posts a job to pool worker `index` (starting workers up to it as needed). Jobs posted to one
 * worker run in order; `drainWorker` waits for all of them.
 */
export function postWorkerJob(
  index: number,
  job: GemmJob | SvdJob | PrepareJob | CompareJob,
  transfer?: ArrayBuffer[],
): void {
  while (pool.length <= index) pool.push(startWorker());
  const w = pool[index];
  // Counted once posted: a job that cannot be cloned must not leave drainWorker waiting for it.
  w.port.postMessage(job, transfer ?? []);
  w.posted += 1;
}

/**
 * Blocks (Atomics.wait) until pool worker `index` has finished every job posted to it, handing
 * each partial product it sent to `onPartial` and each set of prepared concept states to
 * `onStates`; returns the first error it reported, or null.
 */
export function drainWorker(
  index: number,
  onPartial?: (reply: { chunk: number; result: Float64Array }) => void,
  onStates?: (reply: { units: number[]; states: unknown[][] }) => void,
): string | null {
  const w = pool[index];
  if (w === undefined) return 'the worker was terminated';
  for (;;) {
    const finished = Atomics.load(w.flags, 0);
    if (finished >= w.posted) break;
    Atomics.wait(w.flags, 0, finished);
  }
  let failure: string | null = null;
  for (;;) {
    const reply = receiveMessageOnPort(w.port)?.message as GemmReply | undefined;
    if (reply === undefined) break;
    if ('error' in reply) failure ??= reply.error;
    else if ('chunk' in reply) onPartial?.(reply);
    else if ('states' in reply) onStates?.(reply);
  }
  return failure;
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
  return run('tn', a, b, n, m, p, chunks, threads);
}

/** `A^T A` for row-major A (n x m), split over up to `threads` threads by rows. */
export function parallelSyrkTN(a: Float64Array, n: number, m: number, threads: number): Float64Array {
  const chunks = chunkCount(n, m, m, threads);
  if (chunks <= 1) return syrkTN(a, n, m);
  return run('syrk', a, null, n, m, m, chunks, threads);
}
