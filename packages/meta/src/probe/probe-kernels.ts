import type { Matrix } from '@xling/core';
import { addTransposeMatmulInto, matmulInto, squaredDistances } from '../internal/linalg.js';
import { prototypeLoss } from '../internal/prototype-loss.js';
import { ortProbeLogits, ortProbeStep } from '../ort/ort-probe.js';

/**
 * The arithmetic of one probe fit: the loss and gradient of a batch of training rows, and the
 * logits -||W^T x - W^T mu_c||^2 of any rows. `js` is exact float64 (the reference the tests
 * compare to); `ort` runs both as one float32 onnxruntime graph each (MLAS kernels).
 */
export interface ProbeKernel {
  step(rows: ArrayLike<number>, w: Float64Array): Promise<{ loss: number; grad: Float64Array }>;
  logits(x: Matrix, w: Float64Array): Promise<ArrayLike<number>>;
}

/** What a kernel is built from: the training rows, their prototype rows and the class means. */
export interface ProbeKernelInput {
  x: Matrix;
  /** Prototype row of each training row (-1: no prototype). */
  target: Int32Array;
  /** Class means, m × d, float64. */
  means: Float64Array;
  /** Constant added to every row's logits (length m): log class priors, or zeros. */
  bias: Float64Array;
  m: number;
  k: number;
}

export function createProbeKernel(
  engine: 'js' | 'ort',
  input: ProbeKernelInput,
  threads: number,
): ProbeKernel {
  return engine === 'js' ? jsKernel(input) : ortKernel(input, threads);
}

function gatherRows<T extends Float32Array | Float64Array>(x: Matrix, rows: ArrayLike<number>, out: T): T {
  const d = x.cols;
  for (let r = 0; r < rows.length; r++) out.set(x.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return out;
}

function jsKernel({ x, target, means, bias, m, k }: ProbeKernelInput): ProbeKernel {
  const d = x.cols;
  return {
    async step(rows, w) {
      const n = rows.length;
      const xb = gatherRows(x, rows, new Float64Array(n * d));
      const p = matmulInto(means, w, new Float64Array(m * k), m, d, k);
      const z = matmulInto(xb, w, new Float64Array(n * k), n, d, k);
      const res = prototypeLoss(
        z,
        p,
        Int32Array.from(rows, (r) => target[r]),
        n,
        m,
        k,
        true,
        bias,
      );
      const grad = new Float64Array(d * k);
      addTransposeMatmulInto(xb, res.dz, grad, n, d, k);
      addTransposeMatmulInto(means, res.dp, grad, m, d, k);
      return { loss: res.loss, grad };
    },
    async logits(set, w) {
      const z = matmulInto(set.data, w, new Float64Array(set.rows * k), set.rows, d, k);
      const p = matmulInto(means, w, new Float64Array(m * k), m, d, k);
      return squaredDistances(z, p, set.rows, m, k).map((v, i) => bias[i % m] - v);
    },
  };
}

function ortKernel({ x, target, means, bias, m, k }: ProbeKernelInput, threads: number): ProbeKernel {
  const d = x.cols;
  const means32 = Float32Array.from(means);
  const bias32 = Float32Array.from(bias);
  return {
    async step(rows, w) {
      const n = rows.length;
      const xb = gatherRows(x, rows, new Float32Array(n * d));
      let count = 0;
      for (let i = 0; i < n; i++) if (target[rows[i]] >= 0) count++;
      const t = new Float32Array(n * m);
      for (let i = 0; i < n; i++) if (target[rows[i]] >= 0) t[i * m + target[rows[i]]] = 1 / count;
      const out = await ortProbeStep(xb, Float32Array.from(w), means32, bias32, t, { n, d, k, m }, threads);
      return { loss: out.loss, grad: Float64Array.from(out.dw) };
    },
    async logits(set, w) {
      const x32 = set.data instanceof Float32Array ? set.data : Float32Array.from(set.data);
      return ortProbeLogits(x32, Float32Array.from(w), means32, bias32, { n: set.rows, d, k, m }, threads);
    },
  };
}
