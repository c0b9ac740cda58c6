// Values-only SVD (singularValues) at d x d: the unblocked JAMA bidiagonalisation (golubKahanSvd,
// wantVectors = false) vs the blocked dgebrd/dlabrd one (blocked-bidiagonal.ts) with the
// built-in wasm GEMM and with a wasm-GEMM fake engine, beside numpy's
// np.linalg.svd(a, compute_uv=False) on the same matrix; then cca(x, y, { weights: false }).
//   node --import tsx bench/svd-values.ts                 (d = 768)
//   BENCH_SVD_D=512 node --import tsx bench/svd-values.ts
//   BENCH_SVD_PANELS=16,32,48,64 node --import tsx bench/svd-values.ts   (panel width sweep)
//   BENCH_SVD_SWEEP=1 node --import tsx bench/svd-values.ts  (unblocked vs blocked at 64..384: the crossover)
//   BENCH_CCA=1 node --import tsx bench/svd-values.ts      (also cca at n = 10,000, d = 768, before/after)
//   BENCH_SVD_D=64 BENCH_SVD_REPEATS=1 node --import tsx bench/svd-values.ts   (a quick check that it runs)
// Everything on xling's side here runs on 1 thread, so the reference (/usr/bin/python3) is pinned to
// 1 thread too (scripts/bench/pinned_threads.py).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, runUnderPin } from '../../../scripts/bench/pinned-python.js';
import { cca } from '../src/cca/cca.js';
import { setBidiagonalPanel, setBlockedBidiagonalMinSize } from '../src/linalg/blocked-bidiagonal.js';
import { gemmNN, gemmNT, gemmTN } from '../src/linalg/gemm.js';
import { golubKahanSvd } from '../src/linalg/golub-kahan-svd.js';
import type { ProductEngine } from '../src/linalg/product-engine.js';
import { singularValues } from '../src/linalg/thin-svd.js';

const d = Number(process.env.BENCH_SVD_D ?? 768);
const repeats = Number(process.env.BENCH_SVD_REPEATS ?? 7);
console.log(describeMachine('1 thread (the calling thread) throughout'));
const rng = createRng(7);
const a = new Float64Array(d * d);
for (let i = 0; i < a.length; i++) a[i] = rng.normal();

/** The built-in wasm GEMM behind the engine interface (what an engine call costs, minus the engine). */
const wasmEngine: ProductEngine = {
  name: 'wasm gemm (fake engine)',
  multiply(x, y, { m, k, n, transposeA, transposeB }) {
    if (transposeA) return gemmTN(x, y, k, m, n);
    if (transposeB) return gemmNT(x, y, m, k, n);
    return gemmNN(x, y, m, k, n);
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function time(run: () => Float64Array): { ms: number; s: Float64Array } {
  let s = run();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    s = run();
    times.push(performance.now() - t);
  }
  return { ms: median(times), s };
}

// The onnxruntime engine's numbers are in @xling/align-onnxruntime's bench (align never imports it).

const f = (x: number) => x.toFixed(1).padStart(7);
const old = time(() => golubKahanSvd(a, d, d, false).s);
const scale = old.s[0];
const maxDiff = (s: Float64Array) => Math.max(...s.map((x, i) => Math.abs(x - old.s[i]))) / scale;
console.log(`values-only SVD, ${d} x ${d}, median of ${repeats}`);
console.log(`  unblocked (JAMA)                ${f(old.ms)} ms`);
const panels = (process.env.BENCH_SVD_PANELS ?? 'default')
  .split(',')
  .map((w) => (w === 'default' ? undefined : Number(w)));
for (const nb of panels) {
  setBidiagonalPanel(nb);
  const plain = time(() => singularValues(a, d, d));
  const engine = time(() => singularValues(a, d, d, { threads: 1, engine: wasmEngine }));
  console.log(
    `  blocked nb = ${String(nb ?? 'def').padEnd(3)} built-in gemm  ${f(plain.ms)} ms  (max |diff| / s_max ${maxDiff(plain.s).toExponential(1)})`,
  );
  console.log(
    `  blocked nb = ${String(nb ?? 'def').padEnd(3)} fake engine   ${f(engine.ms)} ms  (max |diff| / s_max ${maxDiff(engine.s).toExponential(1)})`,
  );
}
setBidiagonalPanel(undefined);

if (process.env.BENCH_SVD_SWEEP === '1') {
  console.log('crossover (built-in kernels): size, unblocked ms, blocked ms');
  for (const size of [64, 96, 128, 160, 192, 256, 384]) {
    const x = a.subarray(0, size * size);
    const before = time(() => golubKahanSvd(x, size, size, false).s).ms;
    setBlockedBidiagonalMinSize(1);
    const after = time(() => singularValues(x, size, size)).ms;
    setBlockedBidiagonalMinSize(128);
    console.log(`  ${String(size).padStart(4)} ${f(before)} ${f(after)}`);
  }
}

const folder = mkdtempSync(join(tmpdir(), 'xling-align-svd-values-'));
writeFileSync(join(folder, 'a.bin'), a);
const script = `
import time, numpy as np
a = np.fromfile(${JSON.stringify(join(folder, 'a.bin'))}, dtype=np.float64).reshape(${d}, ${d})
np.linalg.svd(a, compute_uv=False)
ts = []
for _ in range(${repeats}):
    t = time.perf_counter(); np.linalg.svd(a, compute_uv=False); ts.append(time.perf_counter() - t)
print(sorted(ts)[len(ts) // 2] * 1000)
`;
try {
  const numpy = runUnderPin(1, ['-c', script]);
  console.log(`  numpy svd(compute_uv=False)     ${f(Number(numpy.stdout.trim()))} ms`);
  console.log(`  ${describeReference(numpy.pinned)}`);
} catch (error) {
  console.log(`numpy reference unavailable: ${(error as Error).message}`);
}
rmSync(folder, { recursive: true, force: true });

if (process.env.BENCH_CCA === '1') {
  const n = 10_000;
  const x = { rows: n, cols: d, data: new Float64Array(n * d) };
  const y = { rows: n, cols: d, data: new Float64Array(n * d) };
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  for (let i = 0; i < y.data.length; i++) y.data[i] = 0.5 * x.data[i] + rng.normal();
  const ccaMs = (engine?: ProductEngine) => {
    const times: number[] = [];
    for (let r = 0; r < 4; r++) {
      const t = performance.now();
      cca(x, y, { weights: false, engine });
      times.push(performance.now() - t);
    }
    return median(times.slice(1));
  };
  for (const engine of [undefined, wasmEngine]) {
    // "before": singular values by the unblocked reduction (the transpose cca no longer makes is not restored).
    setBlockedBidiagonalMinSize(Number.POSITIVE_INFINITY);
    const before = ccaMs(engine);
    setBlockedBidiagonalMinSize(128);
    const after = ccaMs(engine);
    console.log(
      `cca(x, y, { weights: false${engine === undefined ? '' : ', engine'} }), n = ${n}, d = ${d}: unblocked SVD ${f(before)} ms, blocked ${f(after)} ms (median of 3)`,
    );
  }
}
