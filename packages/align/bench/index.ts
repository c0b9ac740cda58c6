// Benchmark of @xling/align against numpy/scipy on the same inputs, in one run.
//   pnpm --filter @xling/align bench            (full run; scipy at d = 4096 takes minutes per pair)
//   BENCH_QUICK=1 pnpm --filter @xling/align bench   (d = 768 only, fewer scipy pairs)
// The reference runs in /usr/bin/python3 with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@xling/core';
import {
  type ConceptSpace,
  cca,
  compareConceptSpaces,
  linearCka,
  orthogonalProcrustes,
  procrustesDisparity,
  rsa,
} from '../src/index.js';
import { gemmTN } from '../src/linalg/gemm.js';

const quick = process.env.BENCH_QUICK === '1';
const here = dirname(fileURLToPath(import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'xling-align-bench-'));
const LANGUAGES = 43;

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

const configs = [
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
const WL = { rows: 10_000, dim: 768 };
const rngWl = createRng(7);
const wx = Float64Array.from({ length: WL.rows * WL.dim }, () => rngWl.normal());
const wy = Float64Array.from(wx, (v) => 0.5 * v + rngWl.normal());
writeFileSync(join(folder, 'wx.f64'), Buffer.from(wx.buffer));
writeFileSync(join(folder, 'wy.f64'), Buffer.from(wy.buffer));
manifest.wordLevel = { rows: WL.rows, dim: WL.dim, x: 'wx.f64', y: 'wy.f64' };
writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));

const env = { ...process.env };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
console.log('running the numpy/scipy reference (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset) ...');
const reference = JSON.parse(
  execFileSync('/usr/bin/python3', [join(here, 'reference.py'), folder], {
    env,
    maxBuffer: 1 << 28,
  }).toString(),
);
console.log(`numpy ${reference.numpy}, scipy ${reference.scipy}, BLAS ${JSON.stringify(reference.blas)}`);

const ratio = (a: number, b: number) => (a / b >= 10 ? (a / b).toFixed(0) : (a / b).toFixed(1));
const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;

console.log(
  '\n(a) alignability: all pairs of 43 languages, Procrustes disparity + Spearman RSA (euclidean RDM)',
);
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
  const all = time(() => compareConceptSpaces(spaces, { metrics: ['procrustes', 'rsa'] }), 2);
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
  console.log(
    `  ${name}: xling compareConceptSpaces ${pairs} pairs ${ms(all.seconds)} | xling per-pair calls ${ms(single.seconds / ref.pairs)}/pair | ` +
      `scipy ${ms(scipyPerPair)}/pair (${ref.pairs} pairs run, all pairs extrapolated ${scipyAll.toFixed(1)} s) | ` +
      `speed-up: all-pairs ${ratio(scipyAll, all.seconds)}x, per-pair calls ${ratio(scipyPerPair, single.seconds / ref.pairs)}x | ` +
      `max |diff| disparity ${maxDisparity.toExponential(1)}, rsa ${maxRsa.toExponential(1)}`,
  );
}

console.log(`\n(b) word level: n = ${WL.rows}, d = ${WL.dim}`);
const X = { rows: WL.rows, cols: WL.dim, data: wx };
const Y = { rows: WL.rows, cols: WL.dim, data: wy };
const wl = reference.wordLevel;
const rows: [string, number, number, string][] = [];
const gemm = time(() => gemmTN(wx, wy, WL.rows, WL.dim, WL.dim));
const flops = 2 * WL.rows * WL.dim * WL.dim;
rows.push([
  'X^T Y (GEMM)',
  gemm.seconds,
  wl.gemmTN.seconds,
  `${(flops / gemm.seconds / 1e9).toFixed(1)} vs ${(flops / wl.gemmTN.seconds / 1e9).toFixed(1)} GFLOP/s`,
]);
const op = time(() => orthogonalProcrustes(X, Y));
rows.push([
  'orthogonalProcrustes',
  op.seconds,
  wl.orthogonalProcrustes.seconds,
  `scale rel. diff ${(Math.abs(op.value.scale - wl.orthogonalProcrustes.scale) / wl.orthogonalProcrustes.scale).toExponential(1)}`,
]);
const cc = time(() => cca(X, Y, { weights: false }));
const ccDiff = Math.max(
  ...wl.cca.correlations.map((v: number, i: number) => Math.abs(v - cc.value.correlations[i])),
);
rows.push(['cca (correlations)', cc.seconds, wl.cca.seconds, `max |diff| ${ccDiff.toExponential(1)}`]);
const ck = time(() => linearCka(X, Y));
rows.push([
  'linearCka',
  ck.seconds,
  wl.linearCka.seconds,
  `|diff| ${Math.abs(ck.value - wl.linearCka.value).toExponential(1)}`,
]);
for (const [name, ours, theirs, note] of rows) {
  console.log(
    `  ${name}: xling ${ms(ours)} | numpy ${ms(theirs)} | xling/numpy ${ratio(ours, theirs)}x slower | ${note}`,
  );
}
rmSync(folder, { recursive: true, force: true });
