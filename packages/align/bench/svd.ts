// The dense SVD with vectors (thinSvd -> golubKahanSvd) at d x d, threads 1 vs 2, with the phase
// breakdown, beside numpy's np.linalg.svd (LAPACK gesdd) on the same matrix.
//   node --import tsx bench/svd.ts            (d = 768)
//   BENCH_SVD_D=512 node --import tsx bench/svd.ts
//   BENCH_SVD_SWEEP=1 node --import tsx bench/svd.ts   (also threads 1 vs 2 at 96..384: the threshold)
//   BENCH_SVD_D=64 BENCH_SVD_REPEATS=1 node --import tsx bench/svd.ts   (a quick check that it runs)
// The reference runs in /usr/bin/python3 pinned to 1 and to 2 threads (scripts/bench/pinned_threads.py),
// beside xling's threads 1 and 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, runUnderPin } from '../../../scripts/bench/pinned-python.js';
import { golubKahanSvd, resetSvdProfile, svdProfile } from '../src/linalg/golub-kahan-svd.js';
import { terminateParallelWorkers } from '../src/linalg/parallel-gemm.js';
import { setParallelSvdMinSize } from '../src/linalg/svd-parallel.js';
import { thinSvd } from '../src/linalg/thin-svd.js';

const d = Number(process.env.BENCH_SVD_D ?? 768);
const repeats = Number(process.env.BENCH_SVD_REPEATS ?? 5);
console.log(describeMachine('thinSvd with threads 1 and 2 (worker threads)'));
const rng = createRng(7);
const a = new Float64Array(d * d);
for (let i = 0; i < a.length; i++) a[i] = rng.normal();

const f = (x: number) => x.toFixed(1).padStart(7);

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

const results: Record<number, { ms: number; phases: typeof svdProfile }> = {};
const outputs: Record<number, ReturnType<typeof thinSvd>> = {};
thinSvd(a, d, d, 2); // warm-up: starts the worker, compiles the kernels
for (const threads of [1, 2]) {
  const times: number[] = [];
  resetSvdProfile();
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    outputs[threads] = thinSvd(a, d, d, threads);
    times.push(performance.now() - t);
  }
  const phases = { ...svdProfile };
  for (const key of Object.keys(phases) as (keyof typeof phases)[]) phases[key] /= repeats;
  results[threads] = { ms: median(times), phases };
}
const same = (['u', 's', 'v'] as const).every((key) => {
  const x = outputs[1][key];
  const y = outputs[2][key];
  return x.length === y.length && x.every((value, i) => Object.is(value, y[i]));
});

const folder = mkdtempSync(join(tmpdir(), 'xling-align-svd-bench-'));
writeFileSync(join(folder, 'a.bin'), a);
const script = `
import time, numpy as np
a = np.fromfile(${JSON.stringify(join(folder, 'a.bin'))}, dtype=np.float64).reshape(${d}, ${d})
np.linalg.svd(a, full_matrices=False)
ts = []
for _ in range(${repeats}):
    t = time.perf_counter(); np.linalg.svd(a, full_matrices=False); ts.append(time.perf_counter() - t)
print(sorted(ts)[len(ts) // 2] * 1000)
`;
const numpyMs: Record<number, number> = { 1: Number.NaN, 2: Number.NaN };
const pinned: string[] = [];
try {
  for (const threads of [1, 2]) {
    const run = runUnderPin(threads, ['-c', script]);
    numpyMs[threads] = Number(run.stdout.trim());
    pinned.push(describeReference(run.pinned));
  }
} catch (error) {
  console.log(`numpy reference unavailable: ${(error as Error).message}`);
}
rmSync(folder, { recursive: true, force: true });

const sweep: string[] = [];
if (process.env.BENCH_SVD_SWEEP === '1') {
  setParallelSvdMinSize(1);
  for (const size of [96, 128, 160, 192, 256, 384]) {
    const x = a.subarray(0, size * size);
    const ms = [1, 2].map((threads) => {
      const times: number[] = [];
      for (let r = 0; r < 15; r++) {
        const t = performance.now();
        golubKahanSvd(x, size, size, true, threads);
        times.push(performance.now() - t);
      }
      return median(times);
    });
    sweep.push(`${String(size).padStart(5)} ${f(ms[0])} ${f(ms[1])}  ${(ms[0] / ms[1]).toFixed(2)}x`);
  }
}
await terminateParallelWorkers();

console.log(`SVD with vectors, ${d} x ${d}, median of ${repeats} (load average ${loadavg()[0].toFixed(2)})`);
console.log('threads     total  bidiag    form   chase  replay   waitV  rotations');
for (const threads of [1, 2]) {
  const { ms, phases: p } = results[threads];
  console.log(
    `${String(threads).padStart(7)} ${f(ms)} ${f(p.bidiagonalise)} ${f(p.form)} ${f(p.chase)} ${f(p.replay)} ${f(p.waitV)}  ${p.rotations}`,
  );
}
console.log(`numpy np.linalg.svd (gesdd): 1 thread ${f(numpyMs[1])} ms, 2 threads ${f(numpyMs[2])} ms`);
for (const line of pinned) console.log(`  ${line}`);
console.log(
  `ratio xling/numpy: 1 thread ${(results[1].ms / numpyMs[1]).toFixed(2)}x, 2 threads ${(results[2].ms / numpyMs[2]).toFixed(2)}x; threads 2 vs 1: ${(results[1].ms / results[2].ms).toFixed(2)}x faster`,
);
console.log(`threads 1 and 2 bit-identical: ${same}`);
if (sweep.length > 0) {
  console.log('\nsize x size, median of 15 (ms): threads 1, threads 2, speed-up');
  for (const line of sweep) console.log(line);
}
