// Benchmark: one meta-training step (query of 30 sentences ≈ 600 tokens, 768 -> 256 -> 32 with
// dropout, 17 prototypes) on every engine ('ort' with 1 and 2 threads, 'tf', 'js') in xling and
// in PyTorch (/usr/bin/python3, run as a subprocess in the same run, same shapes, pinned to 1 and
// to 2 threads: every BLAS / OpenMP pool, checked by threadpoolctl and printed). Prints the ratios
// and the projected time of a reference-sized meta-training run.
// The probe fit has its own benchmark, bench/probe-fit.ts.
//   REPEATS=3 node --import tsx bench/index.ts   (a quick check that it runs)
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import {
  describeReference,
  type PinnedReport,
  runPinnedPython,
} from '../../../scripts/bench/pinned-python.js';
import { AdamState, cosineLearningRate } from '../src/internal/adam.js';
import { type MatmulEngine, type MetaStepParams, metaStepAsync } from '../src/internal/meta-step.js';
import { initPhi } from '../src/internal/phi.js';
import { initBackend } from '../src/tf/init-backend.js';

const n = 600;
const d = 768;
const h = 256;
const k = 32;
const m = 17;
const probeN = 160;
const repeats = Number(process.env.REPEATS ?? 20);
console.log(
  describeMachine(
    'ort with onnxruntime intra-op threads 1 and 2 (spinning off); tf (wasm) and js on 1 thread',
  ),
);

function median(times: number[]): number {
  const s = [...times].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function _time(fn: () => void, count = repeats): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function timeAsync(fn: () => Promise<void>, count = repeats): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

const backend = await initBackend();
const rng = createRng(0);
const phi = initPhi(d, h, k, rng.fork('phi'));
const u = new Float64Array(k * k);
for (let i = 0; i < k; i++) u[i * k + i] = 1;
const params: MetaStepParams = { w1: phi.w1, b1: phi.b1, w2: phi.w2, b2: phi.b2, u };
const adam = Object.fromEntries(Object.entries(params).map(([key, p]) => [key, new AdamState(p.length)]));
const x = { rows: n, cols: d, data: Float32Array.from({ length: n * d }, () => rng.normal()) };
const prototypes = { rows: m, cols: k, data: Float64Array.from({ length: m * k }, () => rng.normal()) };
const target = Int32Array.from({ length: n }, () => rng.int(m));
let step = 0;

async function metaTrainingStep(engine: MatmulEngine, threads = 1): Promise<void> {
  // Everything one episode costs: dropout mask, forward, backward, Adam on every parameter.
  const mask = new Float32Array(n * h);
  const threshold = 0.33 * 4294967296;
  const bits = rng.fillUint32(new Uint32Array(mask.length)); // as the trainer's dropoutMask
  for (let i = 0; i < mask.length; i++) mask[i] = bits[i] < threshold ? 0 : 1 / 0.67;
  const { grads } = await metaStepAsync(params, { x, mask, prototypes, target }, engine, threads);
  const lr = cosineLearningRate(5e-5, step++, 65_000);
  for (const key of Object.keys(params) as (keyof MetaStepParams)[])
    adam[key].update(params[key]!, grads[key]!, lr, 1e-4);
}

// Interleaved rounds so that load from other jobs on a shared machine hits every engine alike.
const rounds = 3;
const perRound = Math.max(3, Math.ceil(repeats / rounds));
const samples: Record<string, number[]> = { ort1: [], ort2: [], tf: [] };
for (let r = 0; r < rounds; r++) {
  samples.ort1.push(await timeAsync(() => metaTrainingStep('ort', 1), perRound));
  samples.ort2.push(await timeAsync(() => metaTrainingStep('ort', 2), perRound));
  samples.tf.push(await timeAsync(() => metaTrainingStep('tf'), perRound));
}
const xlingOrt1 = median(samples.ort1);
const xlingOrt2 = median(samples.ort2);
const xlingTf = median(samples.tf);
const xlingMetaJs = await timeAsync(() => metaTrainingStep('js'), 3);

const here = dirname(fileURLToPath(import.meta.url));
type TorchResult = { metaStepMs: number; probeStepMs: number; pinned: PinnedReport };
function runTorch(threads: number): TorchResult | undefined {
  const args = [n, d, h, k, m, probeN, repeats, threads].map(String);
  try {
    const { stdout, pinned } = runPinnedPython(threads, [join(here, 'reference', 'meta_step.py'), ...args]);
    return { ...JSON.parse(stdout), pinned };
  } catch (error) {
    console.log(`PyTorch reference unavailable: ${(error as Error).message}`);
    return undefined;
  }
}
const torch1 = runTorch(1);
const torch2 = runTorch(2);

const referenceSteps = 26 * 50 * 50;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const hours = (ms: number) => `${((ms * referenceSteps) / 3_600_000).toFixed(2)} h`;
const ratio = (a: number, b: number | undefined) => (b === undefined ? 'n/a' : (a / b).toFixed(2));
console.log(
  `@xling/meta bench (backend ${backend}, ${n} query tokens, ${d} -> ${h} -> ${k}, dropout 0.33, ${m} prototypes, load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')})`,
);
console.log(
  `meta-training step  xling ort 1 thread: ${fmt(xlingOrt1)}   ort 2 threads: ${fmt(xlingOrt2)}   tf wasm: ${fmt(xlingTf)}   pure JS float64: ${fmt(xlingMetaJs)}`,
);
console.log(
  `  per-round medians  ort1 ${samples.ort1.map(fmt).join(', ')} | ort2 ${samples.ort2.map(fmt).join(', ')} | tf ${samples.tf.map(fmt).join(', ')}`,
);
if (torch1 || torch2) {
  console.log(
    `meta-training step  PyTorch ${(torch1 ?? torch2)!.pinned.versions.torch}: 1 thread ${torch1 ? fmt(torch1.metaStepMs) : 'n/a'}   2 threads ${torch2 ? fmt(torch2.metaStepMs) : 'n/a'}`,
  );
  for (const torch of [torch1, torch2]) if (torch) console.log(`  ${describeReference(torch.pinned)}`);
  const t1 = torch1?.metaStepMs;
  const t2 = torch2?.metaStepMs;
  console.log(
    `ratio xling / PyTorch (meta step, lower is better): ort 1 thread / PyTorch 1 thread ${ratio(xlingOrt1, t1)}   ort 2 / PyTorch 2 threads ${ratio(xlingOrt2, t2)}   tf / PyTorch 1 thread ${ratio(xlingTf, t1)}   ort 1 / tf ${ratio(xlingOrt1, xlingTf)}`,
  );
}
console.log(
  `projected reference-sized run (26 languages x 50 episodes x 50 epochs = ${referenceSteps} steps, training steps only): xling ort 1 thread ${hours(xlingOrt1)}, ort 2 threads ${hours(xlingOrt2)}, tf ${hours(xlingTf)}${torch1 ? `, PyTorch 1 thread ${hours(torch1.metaStepMs)}` : ''}${torch2 ? `, PyTorch 2 threads ${hours(torch2.metaStepMs)}` : ''}`,
);
