import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '@xling/core';
import { type Matrix64, type MatmulOptions, addRowInPlace, columnSums, matmul } from './linalg.js';
import { LEAKY_SLOPE } from './phi.js';
import { prototypeLoss } from './prototype-loss.js';
import {
  DEFAULT_ORT_THREADS,
  asFloat32,
  ortPhiBackward,
  ortPhiEmbed,
  ortPhiForward,
} from '../ort/ort-phi.js';

/** Parameters of one meta-learning step, float64 (the master copy Adam updates). */
export interface MetaStepParams {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
  /** Zero-shot map U (k × k), q_c = U p_c. */
  u?: Float64Array;
  /** Few-shot adapter A (k × k) and bias c: g = A z + c. */
  a?: Float64Array;
  c?: Float64Array;
}

/**
 * Where the products of a step with n rows run (x W1, H W2, H^T dz, dz W2^T, x^T dA). `js` is
 * exact float64 (used to check gradients); `tf` runs them on the tfjs wasm backend in float32
 * (XNNPACK SIMD kernels, ~25× faster than a JS loop here); `ort` runs phi's forward and
 * backward passes as two onnxruntime graphs in float32 (native MLAS kernels, AVX2/AVX-512).
 */
export type MatmulEngine = 'js' | 'tf' | 'ort';

/** The engines {@link metaStep} and {@link phiEmbed} run synchronously. */
export type SyncMatmulEngine = 'js' | 'tf';

/** The query batch of one meta-learning step. */
export interface MetaBatch {
  /** Query rows, n × d (float32 rows save a conversion on the `tf` and `ort` engines). */
  x: Matrix;
  /** Dropout mask n × h (0 or 1 / (1 - p)); undefined for none. */
  mask?: ArrayLike<number>;
  /** Source prototypes p_c of V, m × k. */
  prototypes: Matrix64;
  /** Prototype row of each query row, -1 to ignore. */
  target: Int32Array;
}

/** Gradients of a step, named like {@link MetaStepParams}: float32 where onnxruntime computed them. */
export type MetaStepGrads = { [K in keyof MetaStepParams]: Float64Array | Float32Array };

/** Result of {@link metaStep}. */
export interface MetaStepResult {
  loss: number;
  count: number;
  grads: MetaStepGrads;
}

/** Transpose of m into float32. */
function transpose32(m: Matrix): Matrix<Float32Array> {
  const { rows: r, cols: c, data } = m;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = data[i * c + j];
  return { rows: c, cols: r, data: out };
}

/**
 * {@link matmul} on the tfjs wasm backend in float32 (no `into`). Only the plain product runs
 * there: with `transposeA`/`transposeB` flags the wasm matMul leaves its fast XNNPACK path
 * (10–25× slower here), so a transposed operand is transposed in JS first.
 */
export function tfMatmul(
  a: Matrix,
  b: Matrix,
  { transpose = 'none' }: Omit<MatmulOptions, 'into'> = {},
): Matrix64 {
  const left = transpose === 'a' ? transpose32(a) : a;
  const right = transpose === 'b' ? transpose32(b) : b;
  const f32 = (m: Matrix) => tf.tensor2d(asFloat32(m.data), [m.rows, m.cols]);
  const at = f32(left);
  const bt = f32(right);
  const out = tf.matMul(at, bt);
  const data = Float64Array.from(out.dataSync());
  tf.dispose([at, bt, out]);
  return { rows: left.rows, cols: right.cols, data };
}

/** The product of an engine: exact float64 JS, or tfjs wasm in float32. */
function product(
  engine: SyncMatmulEngine,
): (a: Matrix, b: Matrix, options?: Omit<MatmulOptions, 'into'>) => Matrix64 {
  return engine === 'tf' ? tfMatmul : matmul;
}

/** phi's weight matrices: W1 (d × h) and W2 (h × k), with h and k read off the biases. */
function weights(params: Pick<MetaStepParams, 'w1' | 'b1' | 'w2' | 'b2'>) {
  const h = params.b1.length;
  const k = params.b2.length;
  return {
    w1: { rows: params.w1.length / h, cols: h, data: params.w1 },
    w2: { rows: h, cols: k, data: params.w2 },
  };
}

/** Loss, head gradients (U or A, c; b2) and dz of a step from phi's output z (float64). */
function stepHead(
  params: MetaStepParams,
  z: Matrix64,
  prototypes: Matrix64,
  target: Int32Array,
): { loss: number; count: number; dz: Matrix64; grads: Partial<MetaStepParams> } | undefined {
  const k = z.cols;
  const square = (data: Float64Array) => ({ rows: k, cols: k, data });
  let g = z;
  let q = prototypes;
  if (params.u !== undefined) q = matmul(prototypes, square(params.u), { transpose: 'b' });
  if (params.a !== undefined) g = addRowInPlace(matmul(z, square(params.a), { transpose: 'b' }), params.c!);
  const res = prototypeLoss(g, q, target);
  if (res.count === 0) return undefined;
  const grads: Partial<MetaStepParams> = {};
  let dz = res.dz;
  // q = P U^T: dU = dQ^T P.
  if (params.u !== undefined) grads.u = matmul(res.dp, prototypes, { transpose: 'a' }).data;
  if (params.a !== undefined) {
    // g = z A^T + c: dA = dg^T z, dc = colsum dg, dz = dg A.
    grads.a = matmul(res.dz, z, { transpose: 'a' }).data;
    grads.c = columnSums(res.dz);
    dz = matmul(res.dz, square(params.a));
  }
  grads.b2 = columnSums(dz);
  return { loss: res.loss, count: res.count, dz, grads };
}

function zeroGrads(d: number, h: number, k: number): MetaStepParams {
  return {
    w1: new Float64Array(d * h),
    b1: new Float64Array(h),
    w2: new Float64Array(h * k),
    b2: new Float64Array(k),
  };
}

/**
 * Loss and analytic gradients of one meta-learning step (METHOD.md section 5) on a query batch:
 * A = x W1 + b1, H = LeakyReLU_0.2(A) ⊙ mask, z = H W2 + b2; zero-shot q_c = U p_c, g = z;
 * few-shot q_c = p_c, g = A_l z + c_l; loss = mean over rows with a target of
 * -log softmax_c(-||g - q_c||^2)[y]. Backward by hand (no tfjs autodiff: tfjs-core's gradient
 * registrations do not load under Node ESM); checked against finite differences in the tests.
 * Synchronous engines only (`js`, `tf`); {@link metaStepAsync} runs every engine.
 */
export function metaStep(params: MetaStepParams, batch: MetaBatch, engine: SyncMatmulEngine): MetaStepResult {
  const { x, mask, prototypes, target } = batch;
  const mul = product(engine);
  const { w1, w2 } = weights(params);
  const { cols: h } = w1;
  const pre = mul(x, w1);
  // Hidden layer: LeakyReLU then inverted dropout; pre keeps A for the backward pass.
  const hidden: Matrix64 = { rows: x.rows, cols: h, data: new Float64Array(x.rows * h) };
  for (let i = 0; i < pre.data.length; i++) {
    const a = pre.data[i] + params.b1[i % h];
    pre.data[i] = a;
    const v = a > 0 ? a : LEAKY_SLOPE * a;
    hidden.data[i] = mask === undefined ? v : v * mask[i];
  }
  const z = addRowInPlace(mul(hidden, w2), params.b2);
  const head = stepHead(params, z, prototypes, target);
  const grads = zeroGrads(x.cols, h, w2.cols);
  if (head === undefined) return { loss: 0, count: 0, grads };
  Object.assign(grads, head.grads);
  grads.w2 = mul(hidden, head.dz, { transpose: 'a' }).data;
  const dHidden = mul(head.dz, w2, { transpose: 'b' });
  const dPre = dHidden.data;
  for (let i = 0; i < dPre.length; i++) {
    const slope = pre.data[i] > 0 ? 1 : LEAKY_SLOPE;
    const v = dPre[i] * slope * (mask === undefined ? 1 : mask[i]);
    dPre[i] = v;
    grads.b1[i % h] += v;
  }
  grads.w1 = mul(x, dHidden, { transpose: 'a' }).data;
  return { loss: head.loss, count: head.count, grads };
}

/**
 * {@link metaStep} on any engine. `ort` runs phi's forward pass (x W1 + b1, LeakyReLU, dropout,
 * H W2 + b2) in one onnxruntime call and the backward products (H^T dz, dz W2^T, x^T dA and the
 * bias sum) in a second, in float32 with MLAS kernels on `threads` threads; the loss and the
 * small k × k products stay in float64 JS.
 */
export async function metaStepAsync(
  params: MetaStepParams,
  batch: MetaBatch,
  engine: MatmulEngine,
  threads = DEFAULT_ORT_THREADS,
): Promise<MetaStepResult> {
  if (engine !== 'ort') return metaStep(params, batch, engine);
  const { x, prototypes, target } = batch;
  const { w2 } = weights(params);
  const h = w2.rows;
  const x32 = { ...x, data: asFloat32(x.data) };
  const mask = batch.mask === undefined ? new Float32Array(x.rows * h).fill(1) : asFloat32(batch.mask);
  const forward = await ortPhiForward(params, x32, mask, threads);
  const z = { ...forward.z, data: new Float64Array(forward.z.data) };
  const head = stepHead(params, z, prototypes, target);
  if (head === undefined) return { loss: 0, count: 0, grads: zeroGrads(x.cols, h, w2.cols) };
  const back = await ortPhiBackward({ w2, x: x32, hidden: forward.hidden, mask, dz: head.dz }, threads);
  // phi's gradients stay the float32 onnxruntime computed (Adam reads either type): a float64 copy
  // of 200 k entries per step added time and no precision.
  const grads: MetaStepGrads = {
    ...head.grads,
    b2: head.grads.b2!,
    w1: back.dw1,
    b1: back.db1,
    w2: back.dw2,
  };
  return { loss: head.loss, count: head.count, grads };
}

/** phi rows in evaluation mode on the chosen engine (float64 result, n × k). */
export function phiEmbed(
  params: Pick<MetaStepParams, 'w1' | 'b1' | 'w2' | 'b2'>,
  x: Matrix,
  engine: SyncMatmulEngine,
): Matrix64 {
  const mul = product(engine === 'tf' && x.rows > 0 ? 'tf' : 'js');
  const { w1, w2 } = weights(params);
  const pre = mul(x, w1);
  for (let i = 0; i < pre.data.length; i++) {
    const a = pre.data[i] + params.b1[i % w1.cols];
    pre.data[i] = a > 0 ? a : LEAKY_SLOPE * a;
  }
  return addRowInPlace(mul(pre, w2), params.b2);
}

/** {@link phiEmbed} on any engine (`ort`: one onnxruntime call). */
export async function phiEmbedAsync(
  params: Pick<MetaStepParams, 'w1' | 'b1' | 'w2' | 'b2'>,
  x: Matrix,
  engine: MatmulEngine,
  threads = DEFAULT_ORT_THREADS,
): Promise<Matrix64> {
  if (engine !== 'ort') return phiEmbed(params, x, engine);
  const k = params.b2.length;
  if (x.rows === 0) return { rows: 0, cols: k, data: new Float64Array(0) };
  const z = await ortPhiEmbed(params, { ...x, data: asFloat32(x.data) }, threads);
  return { rows: x.rows, cols: k, data: Float64Array.from(z) };
}
