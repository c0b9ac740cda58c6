import * as tf from '@tensorflow/tfjs-core';
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

/** Result of {@link metaStep}. */
export interface MetaStepResult {
  loss: number;
  count: number;
  grads: MetaStepParams;
}

function mm(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      if (av === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += av * b[p * n + j];
    }
  return c;
}

/** a^T b for a (m × k), b (m × n): (k × n). */
function mmTa(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(k * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      if (av === 0) continue;
      for (let j = 0; j < n; j++) c[p * n + j] += av * b[i * n + j];
    }
  return c;
}

/** a b^T for a (m × k), b (n × k): (m × n). */
function mmTb(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * n + j] = s;
    }
  return c;
}

/** Transpose of a (r × c) into float32 (c × r). */
export function transpose32(a: ArrayLike<number>, r: number, c: number): Float32Array {
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}

/**
 * a (m × k) times b (k × n) on the tfjs wasm backend. Only the plain product is used: with
 * `transposeA`/`transposeB` flags the wasm matMul leaves its fast XNNPACK path (10–25× slower
 * here), so operands are transposed in JS first.
 */
export function tfMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const at = tf.tensor2d(a instanceof Float32Array ? a : Float32Array.from(a), [m, k]);
  const bt = tf.tensor2d(b instanceof Float32Array ? b : Float32Array.from(b), [k, n]);
  const out = tf.matMul(at, bt);
  const result = Float64Array.from(out.dataSync());
  tf.dispose([at, bt, out]);
  return result;
}

/** Loss, head gradients (U or A, c; b2) and dz of a step from phi's output z (float64). */
function stepHead(
  params: MetaStepParams,
  z: Float64Array,
  n: number,
  k: number,
  prototypes: ArrayLike<number>,
  m: number,
  target: Int32Array,
): { loss: number; count: number; dz: Float64Array; grads: Partial<MetaStepParams> } | undefined {
  let g = z;
  let q: Float64Array = Float64Array.from(prototypes);
  if (params.u !== undefined) q = mmTb(prototypes, params.u, m, k, k);
  if (params.a !== undefined) {
    g = mmTb(z, params.a, n, k, k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) g[i * k + j] += params.c![j];
  }
  const res = prototypeLoss(g, q, target, n, m, k);
  if (res.count === 0) return undefined;
  const grads: Partial<MetaStepParams> = {};
  let dz = res.dz;
  if (params.u !== undefined) {
    // q = P U^T: dU = dQ^T P.
    grads.u = mmTa(res.dp, prototypes, m, k, k);
  }
  if (params.a !== undefined) {
    // g = z A^T + c: dA = dg^T z, dc = colsum dg, dz = dg A.
    grads.a = mmTa(res.dz, z, n, k, k);
    grads.c = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) grads.c[j] += res.dz[i * k + j];
    dz = mm(res.dz, params.a, n, k, k);
  }
  grads.b2 = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) grads.b2[j] += dz[i * k + j];
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
 *
 * @param x - query rows, flat n × d (float32 for the `tf` engine)
 * @param mask - dropout mask n × h (0 or 1 / (1 - p)), or undefined for none
 * @param prototypes - source prototypes p_c of V, flat m × k
 * @param target - prototype row of each query row, -1 to ignore
 */
export function metaStep(
  params: MetaStepParams,
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  h: number,
  k: number,
  mask: ArrayLike<number> | undefined,
  prototypes: ArrayLike<number>,
  m: number,
  target: Int32Array,
  engine: SyncMatmulEngine,
): MetaStepResult {
  const fast = engine === 'tf';
  const pre = fast ? tfMatmul(x, params.w1, n, d, h) : mm(x, params.w1, n, d, h);
  // Hidden layer: LeakyReLU then inverted dropout.
  const hidden = new Float64Array(n * h);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < h; j++) {
      const a = pre[i * h + j] + params.b1[j];
      pre[i * h + j] = a;
      const v = a > 0 ? a : LEAKY_SLOPE * a;
      hidden[i * h + j] = mask === undefined ? v : v * mask[i * h + j];
    }
  const z = fast ? tfMatmul(hidden, params.w2, n, h, k) : mm(hidden, params.w2, n, h, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) z[i * k + j] += params.b2[j];
  const head = stepHead(params, z, n, k, prototypes, m, target);
  const grads = zeroGrads(d, h, k);
  if (head === undefined) return { loss: 0, count: 0, grads };
  Object.assign(grads, head.grads);
  const dz = head.dz;
  grads.w2 = fast ? tfMatmul(transpose32(hidden, n, h), dz, h, n, k) : mmTa(hidden, dz, n, h, k);
  const dHidden = fast ? tfMatmul(dz, transpose32(params.w2, h, k), n, k, h) : mmTb(dz, params.w2, n, k, h);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < h; j++) {
      const idx = i * h + j;
      const slope = pre[idx] > 0 ? 1 : LEAKY_SLOPE;
      const v = dHidden[idx] * slope * (mask === undefined ? 1 : mask[idx]);
      dHidden[idx] = v;
      grads.b1[j] += v;
    }
  grads.w1 = fast ? tfMatmul(transpose32(x, n, d), dHidden, d, n, h) : mmTa(x, dHidden, n, d, h);
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
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  h: number,
  k: number,
  mask: ArrayLike<number> | undefined,
  prototypes: ArrayLike<number>,
  m: number,
  target: Int32Array,
  engine: MatmulEngine,
  threads = DEFAULT_ORT_THREADS,
): Promise<MetaStepResult> {
  if (engine !== 'ort') return metaStep(params, x, n, d, h, k, mask, prototypes, m, target, engine);
  const x32 = asFloat32(x);
  const mask32 = mask === undefined ? new Float32Array(n * h).fill(1) : asFloat32(mask);
  const forward = await ortPhiForward(params, x32, mask32, n, d, h, k, threads);
  const head = stepHead(params, Float64Array.from(forward.z), n, k, prototypes, m, target);
  const grads = zeroGrads(d, h, k);
  if (head === undefined) return { loss: 0, count: 0, grads };
  Object.assign(grads, head.grads);
  const back = await ortPhiBackward(params.w2, x32, forward.hidden, mask32, head.dz, n, d, h, k, threads);
  grads.w1 = Float64Array.from(back.dw1);
  grads.b1 = Float64Array.from(back.db1);
  grads.w2 = Float64Array.from(back.dw2);
  return { loss: head.loss, count: head.count, grads };
}

/** phi rows in evaluation mode on the chosen engine (float64 result). */
export function phiEmbed(
  params: Pick<MetaStepParams, 'w1' | 'b1' | 'w2' | 'b2'>,
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  h: number,
  k: number,
  engine: SyncMatmulEngine,
): Float64Array {
  const fast = engine === 'tf' && n > 0;
  const pre = fast ? tfMatmul(x, params.w1, n, d, h) : mm(x, params.w1, n, d, h);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < h; j++) {
      const a = pre[i * h + j] + params.b1[j];
      pre[i * h + j] = a > 0 ? a : LEAKY_SLOPE * a;
    }
  const z = fast ? tfMatmul(pre, params.w2, n, h, k) : mm(pre, params.w2, n, h, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) z[i * k + j] += params.b2[j];
  return z;
}

/** {@link phiEmbed} on any engine (`ort`: one onnxruntime call). */
export async function phiEmbedAsync(
  params: Pick<MetaStepParams, 'w1' | 'b1' | 'w2' | 'b2'>,
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  h: number,
  k: number,
  engine: MatmulEngine,
  threads = DEFAULT_ORT_THREADS,
): Promise<Float64Array> {
  if (engine !== 'ort') return phiEmbed(params, x, n, d, h, k, engine);
  if (n === 0) return new Float64Array(0);
  return Float64Array.from(await ortPhiEmbed(params, asFloat32(x), n, d, h, k, threads));
}
