import { createRng } from '@xling/core';
import { AdamState } from '../internal/adam.js';
import { sentenceRows } from '../internal/check-instance-set.js';
import { type Matrix64, columnSums, gatherRows, matmul } from '../internal/linalg.js';
import { applyAdapter } from '../internal/phi.js';
import { prototypeLoss } from '../internal/prototype-loss.js';
import { ortAdapterStep } from '../ort/ort-adapter.js';
import { asFloat32 } from '../ort/ort-graph.js';

/** What the fit loop asks for: a batch's loss and gradient (`rows`), or the whole support's loss (`null`). */
export type AdapterRequest = { rows: Int32Array | null; params: Float64Array };
/** The answer: the prototypical loss (mean over rows with a target), their count, and d/d[A | c] for a batch. */
export type AdapterAnswer = { loss: number; count: number; grad?: Float64Array | Float32Array };

/** The problem one adapter fit solves: phi-embedded support rows, their prototype rows, the fixed prototypes. */
export interface AdapterProblem {
  z: Matrix64;
  targets: Int32Array;
  prototypes: Matrix64;
  sentenceOffsets: Int32Array;
}

export interface AdapterSchedule {
  learningRate: number;
  weightDecay: number;
  epochs: number;
  batchSize: number;
  /** λ / tokens: the pull towards the identity adapter. */
  strength: number;
  seed: number;
}

export interface AdapterFitResult {
  best: Float64Array;
  loss: number;
  initialLoss: number;
  losses: number[];
  bestEpoch: number;
}

/**
 * The adapter's training loop, written once as a generator that yields each loss it needs, so
 * that the float64 JavaScript kernel drives it synchronously ({@link runSync}) and onnxruntime
 * asynchronously ({@link runAsync}). Adam over [A (k × k) | c (k)] from the identity, batches of
 * sentences, the whole-support loss after every epoch; the epoch with the lowest is kept.
 */
export function* adapterFit(
  { sentenceOffsets }: AdapterProblem,
  k: number,
  s: AdapterSchedule,
): Generator<AdapterRequest, AdapterFitResult, AdapterAnswer> {
  const params = new Float64Array(k * k + k);
  for (let i = 0; i < k; i++) params[i * (k + 1)] = 1;
  // (λ / tokens)(||A - I||² + ||c||²), whose gradient is (2λ / tokens)(params - identity).
  const fromIdentity = (i: number) => params[i] - (i < k * k && i % (k + 1) === 0 ? 1 : 0);
  function* supportLoss(): Generator<AdapterRequest, number, AdapterAnswer> {
    const res = yield { rows: null, params };
    let penalty = 0;
    for (let i = 0; i < params.length; i++) penalty += fromIdentity(i) ** 2;
    return res.count > 0 ? res.loss + s.strength * penalty : Number.NaN;
  }
  const initialLoss = yield* supportLoss();
  const adam = new AdamState(params.length);
  const grad = new Float64Array(params.length);
  let best = params.slice();
  let bestLoss = initialLoss;
  let bestEpoch = 0;
  const losses: number[] = [];
  const numSentences = sentenceOffsets.length - 1;
  const order = Array.from({ length: numSentences }, (_, i) => i);
  const rng = createRng(s.seed);
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    const shuffled = rng.fork(`epoch-${epoch}`).shuffle(order);
    for (let b = 0; b * s.batchSize < numSentences; b++) {
      const rows = sentenceRows(sentenceOffsets, shuffled.slice(b * s.batchSize, (b + 1) * s.batchSize));
      if (rows.length === 0) continue;
      const res = yield { rows, params };
      if (res.count === 0 || res.grad === undefined) continue;
      for (let i = 0; i < params.length; i++) grad[i] = res.grad[i] + 2 * s.strength * fromIdentity(i);
      adam.update(params, grad, s.learningRate, s.weightDecay);
    }
    // Judged on the parameters the epoch ends with; the first epoch always replaces the
    // identity, so the initialisation wins only when no epoch ran.
    const loss = yield* supportLoss();
    losses.push(loss);
    if (epoch === 1 || loss < bestLoss) {
      bestLoss = loss;
      best = params.slice();
      bestEpoch = epoch;
    }
  }
  return { best, loss: bestLoss, initialLoss, losses, bestEpoch };
}

type Fit = Generator<AdapterRequest, AdapterFitResult, AdapterAnswer>;

export function runSync(fit: Fit, kernel: (r: AdapterRequest) => AdapterAnswer): AdapterFitResult {
  let step = fit.next();
  while (!step.done) step = fit.next(kernel(step.value));
  return step.value;
}

export async function runAsync(
  fit: Fit,
  kernel: (r: AdapterRequest) => Promise<AdapterAnswer>,
): Promise<AdapterFitResult> {
  let step = fit.next();
  while (!step.done) step = fit.next(await kernel(step.value));
  return step.value;
}

/** Exact float64 losses and gradients (`prototypeLoss`; the prototypes are fixed). */
export function jsAdapterKernel({ z, targets, prototypes }: AdapterProblem, k: number) {
  const grad = new Float64Array(k * k + k);
  return ({ rows, params }: AdapterRequest): AdapterAnswer => {
    const a: Matrix64 = { rows: k, cols: k, data: params.subarray(0, k * k) };
    const c = params.subarray(k * k);
    if (rows === null) return prototypeLoss(applyAdapter(z, a, c), prototypes, targets, { gradient: false });
    const zb = gatherRows(z, rows, Float64Array);
    const res = prototypeLoss(
      applyAdapter(zb, a, c),
      prototypes,
      rows.map((r) => targets[r]),
      {
        prototypeGradient: false,
      },
    );
    // g_i = A z_i + c: dA = dg^T z, dc = colsum dg (matmul adds into its target).
    grad.fill(0);
    matmul(res.dz, zb, { transpose: 'a', into: { rows: k, cols: k, data: grad.subarray(0, k * k) } });
    columnSums(res.dz, grad.subarray(k * k));
    return { loss: res.loss, count: res.count, grad };
  };
}

/** The same losses and gradients in float32 on onnxruntime, one graph call each (ort-adapter.ts). */
export function ortAdapterKernel({ z, targets, prototypes }: AdapterProblem, k: number, threads: number) {
  const z32 = asFloat32(z.data);
  const p32 = asFloat32(prototypes.data);
  const m = prototypes.rows;
  const params32 = new Float32Array(k * k + k);
  const grad = new Float32Array(k * k + k);
  const everyRow = Int32Array.from({ length: z.rows }, (_, i) => i);
  return async ({ rows, params }: AdapterRequest): Promise<AdapterAnswer> => {
    const batch = rows ?? everyRow;
    let count = 0;
    for (const r of batch) if (targets[r] >= 0) count++;
    if (count === 0) return { loss: Number.NaN, count };
    const t = new Float32Array(batch.length * m);
    batch.forEach((r, i) => {
      if (targets[r] >= 0) t[i * m + targets[r]] = 1 / count;
    });
    params32.set(params);
    const index = BigInt64Array.from(batch, (r) => BigInt(r));
    const dims = { total: z.rows, k, m };
    const out = await ortAdapterStep(z32, index, params32, p32, t, dims, threads);
    grad.set(out.da);
    grad.set(out.dc, k * k);
    return { loss: out.loss, count, grad };
  };
}
