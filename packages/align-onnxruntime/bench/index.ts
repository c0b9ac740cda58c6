// Word-level workload of @xling/align issue (b), n = 10,000 rows, d = 768, side by side with numpy /
// scipy on the same inputs in one run: the built-in wasm kernels (threads 1 and 2) and this
// package's onnxruntime engine (with threads: 2 for the JavaScript parts), best of 3 each.
//   pnpm --filter @xling/align-onnxruntime bench
//   BENCH_ROWS=1000 pnpm --filter @xling/align-onnxruntime bench   (n = 1000: a quick check that it runs)
// The reference is @xling/align's bench/reference.py (numpy, scipy; /usr/bin/python3), run pinned to
// 1 thread (against threads: 1) and to 2 threads (against threads: 2 and the engine on 2 threads).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ProductEngine,
  cca,
  linearCka,
  orthogonalProcrustes,
  terminateAlignWorkers,
} from '@xling/align';
import { createRng } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, runPinnedPython } from '../../../scripts/bench/pinned-python.js';
import { onnxruntimeEngine } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'xling-align-onnxruntime-bench-'));
const [n, d] = [Number(process.env.BENCH_ROWS ?? 10_000), 768];
console.log(
  describeMachine(
    'built-in kernels with threads: 1 and 2; the engine with 2 onnxruntime threads and threads: 2',
  ),
);
const rng = createRng(7);
const wx = Float64Array.from({ length: n * d }, () => rng.normal());
const wy = Float64Array.from(wx, (v) => 0.5 * v + rng.normal());
writeFileSync(join(folder, 'wx.f64'), Buffer.from(wx.buffer));
writeFileSync(join(folder, 'wy.f64'), Buffer.from(wy.buffer));
writeFileSync(
  join(folder, 'manifest.json'),
  JSON.stringify({ alignability: [], wordLevel: { rows: n, dim: d, x: 'wx.f64', y: 'wy.f64' } }),
);
const env = { ...process.env };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
console.log('running the numpy/scipy reference ...');
// Agreement is checked against the 1-thread run (wl); each timing against the run with its threads.
const [wl, wl2] = [1, 2].map((threads) => {
  const { stdout, pinned } = runPinnedPython(
    threads,
    [join(here, '../../align/bench/reference.py'), join(folder, 'manifest.json'), String(threads)],
    { env },
  );
  console.log(describeReference(pinned));
  return JSON.parse(stdout).wordLevel;
});

function best<T>(f: () => T, repeats = 3): { seconds: number; value: T } {
  let seconds = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    value = f();
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, value: value as T };
}

const engine = onnxruntimeEngine({ threads: 2 });
const X = { rows: n, cols: d, data: wx };
const Y = { rows: n, cols: d, data: wy };
const setups: { label: string; options: { threads: number; engine?: ProductEngine } }[] = [
  { label: 'built-in, threads 1', options: { threads: 1 } },
  { label: 'built-in, threads 2', options: { threads: 2 } },
  { label: `engine (${engine.name}), threads 2`, options: { threads: 2, engine } },
];
// Warm-up outside the timings: worker start, onnxruntime sessions.
for (const { options } of setups) orthogonalProcrustes(X, Y, options);

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
console.log(
  `\nn = ${n}, d = ${d}, load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
const gemm = best(() => engine.multiply(wx, wy, { m: d, k: n, n: d, transposeA: true, transposeB: false }));
const gflops = (s: number) => ((2 * n * d * d) / s / 1e9).toFixed(0);
console.log(
  `  X^T Y (GEMM): engine ${ms(gemm.seconds)} (${gflops(gemm.seconds)} GFLOP/s) | numpy 2 threads ${ms(wl2.gemmTN.seconds)} (${gflops(wl2.gemmTN.seconds)} GFLOP/s) | xling/numpy ${ratio(gemm.seconds, wl2.gemmTN.seconds)}`,
);
const operations = [
  {
    name: 'orthogonalProcrustes',
    numpy: [wl.orthogonalProcrustes.seconds, wl2.orthogonalProcrustes.seconds],
    run: (o: (typeof setups)[number]['options']) => orthogonalProcrustes(X, Y, o).scale,
    agreement: (v: number) =>
      `scale vs scipy ${(Math.abs(v - wl.orthogonalProcrustes.scale) / wl.orthogonalProcrustes.scale).toExponential(1)}`,
  },
  {
    name: 'cca (correlations)',
    numpy: [wl.cca.seconds, wl2.cca.seconds],
    run: (o: (typeof setups)[number]['options']) => cca(X, Y, { ...o, weights: false }).correlations,
    agreement: (v: Float64Array) =>
      `max |diff| vs numpy ${Math.max(...wl.cca.correlations.map((c: number, i: number) => Math.abs(c - v[i]))).toExponential(1)}`,
  },
  {
    name: 'linearCka',
    numpy: [wl.linearCka.seconds, wl2.linearCka.seconds],
    run: (o: (typeof setups)[number]['options']) => linearCka(X, Y, o),
    agreement: (v: number) => `|diff| vs numpy ${Math.abs(v - wl.linearCka.value).toExponential(1)}`,
  },
] as const;
for (const op of operations) {
  console.log(`  ${op.name}: numpy 1 thread ${ms(op.numpy[0])}, 2 threads ${ms(op.numpy[1])}`);
  for (const setup of setups) {
    const r = best(() => op.run(setup.options) as never);
    const theirs = op.numpy[setup.options.threads - 1];
    console.log(
      `    ${setup.label}: ${ms(r.seconds)}, xling/numpy (${setup.options.threads} thread${setup.options.threads > 1 ? 's' : ''}) ${ratio(r.seconds, theirs)} | ${(op.agreement as (v: never) => string)(r.value)}`,
    );
  }
}
console.log(
  `  (load average after: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')})`,
);
engine.dispose();
await terminateAlignWorkers();
rmSync(folder, { recursive: true, force: true });
