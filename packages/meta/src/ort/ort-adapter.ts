import {
  INT64,
  encodeModel,
  input,
  int64Input,
  node,
  ortInt64Tensor,
  ortSession,
  ortTensor,
  transA,
  transB,
} from './ort-graph.js';
import { alpha, keep, negSquaredDistanceNodes, prototypeLossNodes } from './ort-prototype-nodes.js';

/**
 * The few-shot adapter's step graph (opset 17, float32 but the int64 row indices; dynamic N, n,
 * k, m): from the embedded support (N × k, phi's output, passed whole and gathered by `rows`),
 * the adapter A (k × k) and c (k), the fixed prototypes P (m × k) and target weights t (n × m,
 * row i = onehot(y_i) / count, zero for rows without a target): g = z A^T + c, the prototypical
 * loss `-sum(t ⊙ log softmax(-D))` with D_ic = ||g_i - p_c||^2, and its gradients
 * dA = dg^T z, dc = colsum(dg), with dg = -2 (t - softmax ⊙ rowsum t) P (the algebra of
 * `prototypeLoss` with fixed prototypes, which the tests compare to).
 */
export function buildAdapterModel(): Uint8Array {
  return encodeModel({
    name: 'adapter_step',
    node: [
      node('Gather', ['zall', 'rows'], 'z'),
      node('Gemm', ['z', 'a', 'c'], 'g', [transB]),
      ...negSquaredDistanceNodes('g', 'p', 'logits'),
      ...prototypeLossNodes('logits', 't', 'gdiff'),
      node('Gemm', ['gdiff', 'p'], 'dg', [alpha(-2)]),
      node('Gemm', ['dg', 'z'], 'da', [transA]),
      node('ReduceSum', ['dg', 'axis0'], 'dc', keep(0)),
    ],
    initializer: [
      { name: 'axis1', dims: [1], dataType: INT64, int64Data: [1] },
      { name: 'axis0', dims: [1], dataType: INT64, int64Data: [0] },
    ],
    input: [
      input('zall', ['N', 'k']),
      int64Input('rows', ['n']),
      input('a', ['k', 'k']),
      input('c', ['k']),
      input('p', ['m', 'k']),
      input('t', ['n', 'm']),
    ],
    output: [input('loss', []), input('da', ['k', 'k']), input('dc', ['k'])],
  });
}

/** One adapter step on onnxruntime over the rows `rows` of `zall` (total × k): the loss, dA and dc (float32). */
export async function ortAdapterStep(
  zall: Float32Array,
  rows: BigInt64Array,
  params: Float32Array,
  prototypes: Float32Array,
  t: Float32Array,
  dims: { total: number; k: number; m: number },
  threads: number,
): Promise<{ loss: number; da: Float32Array; dc: Float32Array }> {
  const { total, k, m } = dims;
  const session = await ortSession('adapter-step', buildAdapterModel, threads);
  const out = await session.run({
    zall: ortTensor(zall, [total, k]),
    rows: ortInt64Tensor(rows, [rows.length]),
    a: ortTensor(params.subarray(0, k * k), [k, k]),
    c: ortTensor(params.subarray(k * k), [k]),
    p: ortTensor(prototypes, [m, k]),
    t: ortTensor(t, [rows.length, m]),
  });
  return {
    loss: (out.loss.data as Float32Array)[0],
    da: out.da.data as Float32Array,
    dc: out.dc.data as Float32Array,
  };
}
