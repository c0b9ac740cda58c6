// Word-level workload of @xling/align issue (b), n = 10,000 rows, d = 768, side by side with numpy /
// scipy on the same inputs in one run: the built-in wasm kernels (threads 1 and 2) and this
// package's onnxruntime engine (with threads: 2 for the JavaScript parts), best of 3 each.
//   pnpm --filter @xling/align-onnxruntime bench
// The reference is @xling/align's bench/reference.py (numpy, scipy; /usr/bin/python3).
import { execFileSync } from 'node:child_process';
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
import { onnxruntimeEngine } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'xling-align-onnxruntime-bench-'));
const [n, d] = [10_000, 768];
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
const reference = JSON.parse(
  execFileSync('/usr/bin/python3', [join(here, '../../align/bench/reference.py'), folder], {
    env,
  }).toString(),
);
const wl = reference.wordLevel;
console.log(`numpy ${reference.numpy}, scipy ${reference.scipy}, BLAS ${JSON.stringify(reference.blas)}`);

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
  `  X^T Y (GEMM): engine ${ms(gemm.seconds)} (${gflops(gemm.seconds)} GFLOP/s) | numpy ${ms(wl.gemmTN.seconds)} (${gflops(wl.gemmTN.seconds)} GFLOP/s) | xling/numpy ${ratio(gemm.seconds, wl.gemmTN.seconds)}`,
);
const operations = [
  {
    name: 'orthogonalProcrustes',
    numpy: wl.orthogonalProcrustes.seconds,
    run: (o: (typeof setups)[number]['options']) => orthogonalProcrustes(X, Y, o).scale,
    agreement: (v: number) =>
      `scale vs scipy ${(Math.abs(v - wl.orthogonalProcrustes.scale) / wl.orthogonalProcrustes.scale).toExponential(1)}`,
  },
  {
    name: 'cca (correlations)',
    numpy: wl.cca.seconds,
    run: (o: (typeof setups)[number]['options']) => cca(X, Y, { ...o, weights: false }).correlations,
    agreement: (v: Float64Array) =>
      `max |diff| vs numpy ${Math.max(...wl.cca.correlations.map((c: number, i: number) => Math.abs(c - v[i]))).toExponential(1)}`,
  },
  {
    name: 'linearCka',
    numpy: wl.linearCka.seconds,
    run: (o: (typeof setups)[number]['options']) => linearCka(X, Y, o),
    agreement: (v: number) => `|diff| vs numpy ${Math.abs(v - wl.linearCka.value).toExponential(1)}`,
  },
] as const;
for (const op of operations) {
  console.log(`  ${op.name}: numpy ${ms(op.numpy)}`);
  for (const setup of setups) {
    const r = best(() => op.run(setup.options) as never);
    console.log(
      `    ${setup.label}: ${ms(r.seconds)}, xling/numpy ${ratio(r.seconds, op.numpy)} | ${(op.agreement as (v: never) => string)(r.value)}`,
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
