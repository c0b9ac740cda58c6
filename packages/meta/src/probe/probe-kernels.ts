import type { Matrix } from '@xling/core';
import { type Matrix64, gatherRows, matmul, squaredDistances } from '../internal/linalg.js';
import { prototypeLoss } from '../internal/prototype-loss.js';
import { asFloat32 } from '../ort/ort-graph.js';
import { ortProbeLogits, ortProbeStep } from '../ort/ort-probe.js';

/**
 * The arithmetic of one probe fit: the loss and gradient of a batch of training rows, and the
 * logits -||W^T x - W^T mu_c||^2 of any rows. `js` is exact float64 (the reference the tests
 * compare to); `ort` runs both as one float32 onnxruntime graph each (MLAS kernels).
 */
export interface ProbeKernel {
  step(
    rows: ArrayLike<number>,
    w: Float64Array,
  ): Promise<{ loss: number; grad: Float64Array | Float32Array }>;
  logits(x: Matrix, w: Float64Array): Promise<ArrayLike<number>>;
}

/** What a kernel is built from: the training rows, their prototype rows and the class means. */
export interface ProbeKernelInput {
  x: Matrix;
  /** Prototype row of each training row (-1: no prototype). */
  target: Int32Array;
  /** Class means, m × d. */
  means: Matrix64;
  /** Constant added to every row's logits (length m): log class priors, or zeros. */
  bias: Float64Array;
  /** Columns of W. */
  k: number;
}

export function createProbeKernel(
  engine: 'js' | 'ort',
  input: ProbeKernelInput,
  threads: number,
): ProbeKernel {
  return engine === 'js' ? jsKernel(input) : ortKernel(input, threads);
}

function jsKernel({ x, target, means, bias, k }: ProbeKernelInput): ProbeKernel {
  const weights = (w: Float64Array): Matrix64 => ({ rows: x.cols, cols: k, data: w });
  return {
    async step(rows, w) {
      const xb = gatherRows(x, rows, Float64Array);
      const p = matmul(means, weights(w));
      const res = prototypeLoss(
        matmul(xb, weights(w)),
        p,
        Int32Array.from(rows, (r) => target[r]),
        { bias },
      );
      const grad = matmul(xb, res.dz, { transpose: 'a' });
      matmul(means, res.dp, { transpose: 'a', into: grad });
      return { loss: res.loss, grad: grad.data };
    },
    async logits(set, w) {
      const distances = squaredDistances(matmul(set, weights(w)), matmul(means, weights(w)));
      return distances.data.map((v, i) => bias[i % means.rows] - v);
    },
  };
}

function ortKernel(
  { x, target, means: meansMatrix, bias, k }: ProbeKernelInput,
  threads: number,
): ProbeKernel {
  const d = x.cols;
  const m = meansMatrix.rows;
  // Converted once: each step passes the whole matrix (no copy) and the graph gathers its rows.
  const x32 = asFloat32(x.data);
  const means32 = Float32Array.from(meansMatrix.data);
  const bias32 = Float32Array.from(bias);
  // One W buffer for every step: trainProbe awaits each step before the next one starts.
  const w32 = new Float32Array(d * k);
  return {
    async step(rows, w) {
      const n = rows.length;
      const index = BigInt64Array.from(rows, (r) => BigInt(r));
      let count = 0;
      for (let i = 0; i < n; i++) if (target[rows[i]] >= 0) count++;
      const t = new Float32Array(n * m);
      for (let i = 0; i < n; i++) if (target[rows[i]] >= 0) t[i * m + target[rows[i]]] = 1 / count;
      w32.set(w);
      const out = await ortProbeStep(
        x32,
        index,
        w32,
        means32,
        bias32,
        t,
        { total: x.rows, d, k, m },
        threads,
      );
      return { loss: out.loss, grad: out.dw };
    },
    async logits(set, w) {
      return ortProbeLogits(
        set.data === x.data ? x32 : asFloat32(set.data),
        Float32Array.from(w),
        means32,
        bias32,
        { n: set.rows, d, k, m },
        threads,
      );
    },
  };
}
