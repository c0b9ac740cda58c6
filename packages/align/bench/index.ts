// Benchmark of @xling/align against numpy/scipy on the same inputs, in one run.
//   pnpm --filter @xling/align bench            (full run; scipy at d = 4096 takes minutes per pair)
//   BENCH_QUICK=1 pnpm --filter @xling/align bench   (d = 768 only, fewer scipy pairs)
//   BENCH_PART=b pnpm --filter @xling/align bench    (only (b), word level, threads 1 and 2)
//   BENCH_PART=a BENCH_QUICK=1 pnpm --filter @xling/align bench   (only (a), all pairs, at d = 768)
//   BENCH_QUICK=1 BENCH_ROWS=1000 pnpm --filter @xling/align bench   ((b) at n = 1000: a quick check that it runs)
// The reference (reference.py) runs in /usr/bin/python3 with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
// unset, pinned to the threads of the xling side it is compared with (scripts/bench/pinned_threads.py):
// 1 thread against threads: 1 and 2 threads against threads: 2, for (a) and for (b).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, runPinnedPython } from '../../../scripts/bench/pinned-python.js';
import {
  type ConceptSpace,
  cca,
  compareConceptSpaces,
  linearCka,
  orthogonalProcrustes,
  procrustesDisparity,
  rsa,
  terminateAlignWorkers,
} from '../src/index.js';
import { gemmTN } from '../src/linalg/gemm.js';
import { parallelGemmTN } from '../src/linalg/parallel-gemm.js';

const quick = process.env.BENCH_QUICK === '1';
const onlyWordLevel = process.env.BENCH_PART === 'b';
const onlyAlignability = process.env.BENCH_PART === 'a';
const here = dirname(fileURLToPath(import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'xling-align-bench-'));
const LANGUAGES = 43;
console.log(
  describeMachine(
    `(a) on the calling thread (no worker threads); (b) threads: 1 and threads: 2 (worker threads)`,
  ),
);

function time<T>(f: () => T, repeats = 1): { seconds: number; value: T } {
  let best = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    value = f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { seconds: best, value: value as T };
}

/** 43 languages' prototypes: a shared concept geometry, rotated and perturbed per language. */
function alignabilityData(rows: number, dim: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const base = Float64Array.from({ length: rows * dim }, () => rng.normal());
  const out = new Float64Array(LANGUAGES * rows * dim);
  for (let l = 0; l < LANGUAGES; l++) {
    const noise = 0.3 + (0.7 * l) / LANGUAGES;
    for (let k = 0; k < rows * dim; k++) out[l * rows * dim + k] = base[k] + noise * rng.normal();
  }
  return out;
}

const configs = onlyWordLevel
  ? []
  : [
      { rows: 17, dim: 768, scipyPairs: quick ? 10 : 40 },
      { rows: 37, dim: 768, scipyPairs: quick ? 10 : 40 },
      ...(quick
        ? []
        : [
            { rows: 17, dim: 4096, scipyPairs: 1 },
            { rows: 37, dim: 4096, scipyPairs: 1 },
          ]),
    ];
const manifest: Record<string, unknown> = { alignability: [] as unknown[] };
const datasets = new Map<string, Float64Array>();
for (const c of configs) {
  const name = `${c.rows}x${c.dim}`;
  const data = alignabilityData(c.rows, c.dim, c.rows * 1000 + c.dim);
  datasets.set(name, data);
  writeFileSync(join(folder, `${name}.f64`), Buffer.from(data.buffer));
  (manifest.alignability as unknown[]).push({
    name,
    file: `${name}.f64`,
    languages: LANGUAGES,
    rows: c.rows,
    dim: c.dim,
    scipyPairs: c.scipyPairs,
  });
}
const WL = { rows: Number(process.env.BENCH_ROWS ?? 10_000), dim: 768 };
const rngWl = createRng(7);
const wx = Float64Array.from({ length: WL.rows * WL.dim }, () => rngWl.normal());
const wy = Float64Array.from(wx, (v) => 0.5 * v + rngWl.normal());
writeFileSync(join(folder, 'wx.f64'), Buffer.from(wx.buffer));
writeFileSync(join(folder, 'wy.f64'), Buffer.from(wy.buffer));
if (!onlyAlignability) manifest.wordLevel = { rows: WL.rows, dim: WL.dim, x: 'wx.f64', y: 'wy.f64' };
writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));
writeFileSync(join(folder, 'manifest-b.json'), JSON.stringify({ wordLevel: manifest.wordLevel }));

const env = { ...process.env };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
console.log('running the numpy/scipy reference (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset) ...');
const runReference = (manifestFile: string, threads: number) => {
  const { stdout, pinned } = runPinnedPython(
    threads,
    [join(here, 'reference.py'), join(folder, manifestFile), String(threads)],
    { env },
  );
  console.log(describeReference(pinned));
  return JSON.parse(stdout);
};
const reference = runReference('manifest.json', 1);
const reference2 = onlyAlignability ? null : runReference('manifest-b.json', 2);
// (a) against numpy on 2 threads: its all-pairs path only (no scipy pairs).
let referenceA2: typeof reference = { workloads: {} };
if (!onlyWordLevel) {
  const alignability = (manifest.alignability as { scipyPairs: number }[]).map((w) => ({
    ...w,
    scipyPairs: 0,
  }));
  writeFileSync(join(folder, 'manifest-a2.json'), JSON.stringify({ alignability }));
  referenceA2 = runReference('manifest-a2.json', 2);
}

const ratio = (a: number, b: number) => (a / b >= 10 ? (a / b).toFixed(0) : (a / b).toFixed(1));
const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;

if (!onlyWordLevel) {
  console.log(
    '\n(a) alignability: all pairs of 43 languages, Procrustes disparity + Spearman RSA (euclidean RDM)',
  );
}
for (const c of configs) {
  const name = `${c.rows}x${c.dim}`;
  const data = datasets.get(name)!;
  const labels = Array.from({ length: c.rows }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const spaces: Record<string, ConceptSpace> = {};
  for (let l = 0; l < LANGUAGES; l++) {
    const prototypes: Record<string, Float64Array> = {};
    labels.forEach((label, i) => {
      prototypes[label] = data.subarray((l * c.rows + i) * c.dim, (l * c.rows + i + 1) * c.dim);
    });
    spaces[`l${String(l).padStart(2, '0')}`] = { prototypes };
  }
  // Best of 3, as numpy (reference.py), after warm-up runs: V8 compiles the hot functions after
  // some calls, and a pool worker, which runs half the pairs, needs about 8 (its first call, which
  // also starts it, is printed). numpy has nothing to warm up.
  const run = (threads: number) => () =>
    compareConceptSpaces(spaces, { metrics: ['procrustes', 'rsa'], threads });
  const cold2 = time(run(2));
  time(run(1), 5);
  const all = time(run(1), 3);
  time(run(2), 8);
  const all2 = time(run(2), 3);
  const same = JSON.stringify(all2.value) === JSON.stringify(all.value);
  const pairs = (LANGUAGES * (LANGUAGES - 1)) / 2;
  const ref = reference.workloads[name];
  // Per-pair calls without any caching, on the same pairs scipy ran.
  const matrix = (l: number) => ({
    rows: c.rows,
    cols: c.dim,
    data: data.subarray(l * c.rows * c.dim, (l + 1) * c.rows * c.dim),
  });
  const scipyPairs: [number, number][] = [];
  for (let i = 0; i < LANGUAGES && scipyPairs.length < ref.pairs; i++) {
    for (let j = i + 1; j < LANGUAGES && scipyPairs.length < ref.pairs; j++) scipyPairs.push([i, j]);
  }
  const single = time(() =>
    scipyPairs.map(([i, j]) => [procrustesDisparity(matrix(i), matrix(j)), rsa(matrix(i), matrix(j))]),
  );
  let maxDisparity = 0;
  let maxRsa = 0;
  scipyPairs.forEach(([i, j], p) => {
    maxDisparity = Math.max(maxDisparity, Math.abs(all.value.metrics.procrustes[i][j] - ref.disparity[p]));
    maxRsa = Math.max(maxRsa, Math.abs(all.value.metrics.rsa[i][j] - ref.rsa[p]));
  });
  const scipyPerPair = ref.seconds / ref.pairs;
  const scipyAll = scipyPerPair * pairs;
  // numpy, same algorithm, vectorised over all pairs (reference.py's all_pairs_numpy).
  let maxNumpy = 0;
  let p = 0;
  for (let i = 0; i < LANGUAGES; i++)
    for (let j = i + 1; j < LANGUAGES; j++, p++) {
      maxNumpy = Math.max(
        maxNumpy,
        Math.abs(all.value.metrics.procrustes[i][j] - ref.numpy.disparity[p]),
        Math.abs(all.value.metrics.rsa[i][j] - ref.numpy.rsa[p]),
      );
    }
  const numpy2 = referenceA2.workloads[name].numpy.seconds;
  console.log(
    `  ${name}: xling compareConceptSpaces ${ms(all.seconds)} | numpy, same algorithm vectorised over all ${pairs} pairs ${ms(ref.numpy.seconds)} | ` +
      `xling/numpy ${(all.seconds / ref.numpy.seconds).toFixed(2)}x | max |diff| ${maxNumpy.toExponential(1)}`,
  );
  console.log(
    `  ${name}: on 2 threads: xling threads: 2 ${ms(all2.seconds)} | numpy 2 threads ${ms(numpy2)} | ` +
      `xling/numpy ${(all2.seconds / numpy2).toFixed(2)}x | identical to threads: 1: ${same ? 'yes' : 'NO'} | ` +
      `first call (starts the worker) ${ms(cold2.seconds)}`,
  );
  console.log(
    `  ${name}: xling compareConceptSpaces ${pairs} pairs ${ms(all.seconds)} | xling per-pair calls ${ms(single.seconds / ref.pairs)}/pair | ` +
      `scipy ${ms(scipyPerPair)}/pair (${ref.pairs} pairs run, all pairs extrapolated ${scipyAll.toFixed(1)} s) | ` +
      `speed-up: all-pairs ${ratio(scipyAll, all.seconds)}x, per-pair calls ${ratio(scipyPerPair, single.seconds / ref.pairs)}x | ` +
      `max |diff| disparity ${maxDisparity.toExponential(1)}, rsa ${maxRsa.toExponential(1)}`,
  );
}

if (onlyAlignability) {
  await terminateAlignWorkers();
  rmSync(folder, { recursive: true, force: true });
  process.exit(0);
}

// xling runs each operation with threads: 1 (the default) and threads: 2 (worker threads, opt-in),
// against numpy pinned to 1 and to 2 threads. Best of 2 runs each (numpy: best of 3).
console.log(
  `\n(b) word level: n = ${WL.rows}, d = ${WL.dim}; xling threads: 1 and threads: 2 (load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')})`,
);
const X = { rows: WL.rows, cols: WL.dim, data: wx };
const Y = { rows: WL.rows, cols: WL.dim, data: wy };
const wl = reference.wordLevel;
const wl2 = reference2?.wordLevel;
const rows: [string, number, number, number, number, string][] = [];
const relative = (a: number, b: number) => (Math.abs(a - b) / Math.abs(b)).toExponential(1);
const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < b.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return (diff / scale).toExponential(1);
};
// Start the workers outside the timings (a one-off cost of ~0.1-0.5 s on first use).
orthogonalProcrustes(X, Y, { threads: 2 });
const flops = 2 * WL.rows * WL.dim * WL.dim;
const gflops = (s: number) => (flops / s / 1e9).toFixed(1);
const gemm1 = time(() => gemmTN(wx, wy, WL.rows, WL.dim, WL.dim), 2);
const gemm2 = time(() => parallelGemmTN(wx, wy, WL.rows, WL.dim, WL.dim, 2), 2);
rows.push([
  'X^T Y (GEMM)',
  gemm1.seconds,
  gemm2.seconds,
  wl.gemmTN.seconds,
  wl2.gemmTN.seconds,
  `${gflops(gemm1.seconds)} / ${gflops(gemm2.seconds)} vs ${gflops(wl.gemmTN.seconds)} / ${gflops(wl2.gemmTN.seconds)} GFLOP/s; threads 2 vs 1 ${maxRelative(gemm2.value, gemm1.value)}`,
]);
const op1 = time(() => orthogonalProcrustes(X, Y), 2);
const op2 = time(() => orthogonalProcrustes(X, Y, { threads: 2 }), 2);
rows.push([
  'orthogonalProcrustes',
  op1.seconds,
  op2.seconds,
  wl.orthogonalProcrustes.seconds,
  wl2.orthogonalProcrustes.seconds,
  `scale vs scipy ${relative(op1.value.scale, wl.orthogonalProcrustes.scale)}; threads 2 vs 1: rotation ${maxRelative(op2.value.rotation.data, op1.value.rotation.data)}, scale ${relative(op2.value.scale, op1.value.scale)}`,
]);
const cc1 = time(() => cca(X, Y, { weights: false }), 2);
const cc2 = time(() => cca(X, Y, { weights: false, threads: 2 }), 2);
const ccDiff = Math.max(
  ...wl.cca.correlations.map((v: number, i: number) => Math.abs(v - cc1.value.correlations[i])),
);
rows.push([
  'cca (correlations)',
  cc1.seconds,
  cc2.seconds,
  wl.cca.seconds,
  wl2.cca.seconds,
  `max |diff| vs numpy ${ccDiff.toExponential(1)}; threads 2 vs 1 ${maxRelative(cc2.value.correlations, cc1.value.correlations)}`,
]);
const ck1 = time(() => linearCka(X, Y), 2);
const ck2 = time(() => linearCka(X, Y, { threads: 2 }), 2);
rows.push([
  'linearCka',
  ck1.seconds,
  ck2.seconds,
  wl.linearCka.seconds,
  wl2.linearCka.seconds,
  `|diff| vs numpy ${Math.abs(ck1.value - wl.linearCka.value).toExponential(1)}; threads 2 vs 1 ${relative(ck2.value, ck1.value)}`,
]);
for (const [name, one, two, theirs1, theirs2, note] of rows) {
  console.log(
    `  ${name}: xling threads 1 ${ms(one)}, threads 2 ${ms(two)} | numpy 1 thread ${ms(theirs1)}, 2 threads ${ms(theirs2)} | ` +
      `xling/numpy: 1 thread ${ratio(one, theirs1)}x, 2 threads ${ratio(two, theirs2)}x | ${note}`,
  );
}
console.log(
  `  (load average after: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')})`,
);
await terminateAlignWorkers();
rmSync(folder, { recursive: true, force: true });
