// Benchmark: one meta-training step (query of 30 sentences ≈ 600 tokens, 768 -> 256 -> 32 with
// dropout, 17 prototypes) and one probe step (batch of 8 sentences ≈ 160 tokens, 768 -> 32) in
// xling and in PyTorch (/usr/bin/python3, run as a subprocess in the same run, same shapes).
// Prints the ratios and the projected time of a reference-sized meta-training run.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@xling/core';
import { AdamState, cosineLearningRate } from '../src/internal/adam.js';
import { addTransposeMatmulInto, matmulInto } from '../src/internal/linalg.js';
import {
  type MatmulEngine,
  type MetaStepParams,
  metaStep,
  tfMatmul,
  transpose32,
} from '../src/internal/meta-step.js';
import { initPhi } from '../src/internal/phi.js';
import { prototypeLoss } from '../src/internal/prototype-loss.js';
import { initBackend } from '../src/tf/init-backend.js';

const n = 600;
const d = 768;
const h = 256;
const k = 32;
const m = 17;
const probeN = 160;
const repeats = Number(process.env.REPEATS ?? 20);

function median(times: number[]): number {
  const s = [...times].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, count = repeats): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    fn();
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
const x = Float32Array.from({ length: n * d }, () => rng.normal());
const prototypes = Float64Array.from({ length: m * k }, () => rng.normal());
const target = Int32Array.from({ length: n }, () => rng.int(m));
let step = 0;

function metaTrainingStep(engine: MatmulEngine): void {
  // Everything one episode costs: dropout mask, forward, backward, Adam on every parameter.
  const mask = new Float32Array(n * h);
  const threshold = 0.33 * 4294967296;
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextUint32() < threshold ? 0 : 1 / 0.67;
  const { grads } = metaStep(params, x, n, d, h, k, mask, prototypes, m, target, engine);
  const lr = cosineLearningRate(5e-5, step++, 65_000);
  for (const key of Object.keys(params) as (keyof MetaStepParams)[])
    adam[key].update(params[key]!, grads[key]!, lr, 1e-4);
}

const probeX = Float64Array.from({ length: probeN * d }, () => rng.normal());
const means = Float64Array.from({ length: 17 * d }, () => rng.normal());
const probeW = Float64Array.from({ length: d * 32 }, () => rng.normal() * Math.sqrt(2 / (d + 32)));
const probeTarget = Int32Array.from({ length: probeN }, () => rng.int(17));
const probeAdam = new AdamState(probeW.length);
function probeStep(): void {
  const z = matmulInto(probeX, probeW, new Float64Array(probeN * 32), probeN, d, 32);
  const p = matmulInto(means, probeW, new Float64Array(17 * 32), 17, d, 32);
  const res = prototypeLoss(z, p, probeTarget, probeN, 17, 32);
  const grad = new Float64Array(d * 32);
  addTransposeMatmulInto(probeX, res.dz, grad, probeN, d, 32);
  addTransposeMatmulInto(means, res.dp, grad, 17, d, 32);
  probeAdam.update(probeW, grad, 1e-4, 1e-6);
}
function probeStepTf(): void {
  const z = tfMatmul(probeX, probeW, probeN, d, 32);
  const p = matmulInto(means, probeW, new Float64Array(17 * 32), 17, d, 32);
  const res = prototypeLoss(z, p, probeTarget, probeN, 17, 32);
  const grad = tfMatmul(transpose32(probeX, probeN, d), res.dz, d, probeN, 32);
  addTransposeMatmulInto(means, res.dp, grad, 17, d, 32);
  probeAdam.update(probeW, grad, 1e-4, 1e-6);
}

const xlingMeta = time(() => metaTrainingStep('tf'));
const xlingMetaJs = time(() => metaTrainingStep('js'), 3);
const xlingProbe = time(probeStep);
const xlingProbeTf = time(probeStepTf);

const here = dirname(fileURLToPath(import.meta.url));
const python = spawnSync(
  '/usr/bin/python3',
  [
    join(here, 'reference', 'meta_step.py'),
    String(n),
    String(d),
    String(h),
    String(k),
    String(m),
    String(probeN),
    String(repeats),
  ],
  { encoding: 'utf8' },
);
let torch: { torch: string; threads: number; metaStepMs: number; probeStepMs: number } | undefined;
if (python.status === 0) torch = JSON.parse(python.stdout.trim().split('\n').at(-1)!);
else console.log(`PyTorch reference unavailable: ${python.stderr || python.error}`);

const referenceSteps = 26 * 50 * 50;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const hours = (ms: number) => `${((ms * 65_000) / 3_600_000).toFixed(2)} h`;
console.log(
  `@xling/meta bench (backend ${backend}, ${n} query tokens, ${d} -> ${h} -> ${k}, dropout 0.33, ${m} prototypes)`,
);
console.log(
  `meta-training step  xling (tf wasm): ${fmt(xlingMeta)}   xling (pure JS float64): ${fmt(xlingMetaJs)}`,
);
if (torch) {
  console.log(
    `meta-training step  PyTorch ${torch.torch} (${torch.threads} threads): ${fmt(torch.metaStepMs)}`,
  );
  console.log(`ratio xling / PyTorch (meta step): ${(xlingMeta / torch.metaStepMs).toFixed(2)}`);
}
console.log(
  `probe step (${probeN} tokens, ${d} -> 32)  xling js float64: ${fmt(xlingProbe)}   xling tf wasm: ${fmt(xlingProbeTf)}${
    torch
      ? `   PyTorch: ${fmt(torch.probeStepMs)}   ratio (tf) / PyTorch: ${(xlingProbeTf / torch.probeStepMs).toFixed(2)}`
      : ''
  }`,
);
console.log(
  `projected reference-sized run (26 languages x 50 episodes x 50 epochs = ${referenceSteps} steps, training steps only): xling ${hours(xlingMeta)}${torch ? `, PyTorch ${hours(torch.metaStepMs)}` : ''}`,
);
