import {
  FLOAT,
  INT64,
  type NodeProto,
  encodeModel,
  input,
  int64Input,
  node,
  ortInt64Tensor,
  ortSession,
  ortTensor,
  transA,
} from './ort-graph.js';
import { alpha, keep, negSquaredDistanceNodes, prototypeLossNodes } from './ort-prototype-nodes.js';

/**
 * The probe's graphs (opset 17, float32 but the step's int64 row indices; dynamic N, n, d, k, m):
 * - `step`: from all training rows (N × d) and the batch's row indices (n, int64), which the graph
 *   gathers into x (n × d) itself — the whole matrix is passed without a copy, and no batch is
 *   allocated in JavaScript — W (d × k), class means M (m × d), a constant logit bias (m; log
 *   class priors or zeros) and target weights t (n × m, row i = onehot(y_i) / count, zero for rows
 *   without a target): the prototypical loss `-sum(t ⊙ log softmax(bias - D))` with
 *   D_ic = ||x_i W - mu_c W||^2, and its gradient dW. With
 *   G = t - softmax ⊙ rowsum(t): dZ = -2 G P, dP = -2 G^T Z + 2 diag(colsum G) P,
 *   dW = x^T dZ + M^T dP (the same algebra as `prototypeLoss`, which the tests compare to).
 * - `logits`: bias - D only (n × m), for accuracy and the fitting loss.
 */
export function buildProbeModel(kind: 'step' | 'logits'): Uint8Array {
  const nodes: NodeProto[] = [
    node('MatMul', ['x', 'w'], 'z'),
    node('MatMul', ['means', 'w'], 'p'),
    ...negSquaredDistanceNodes('z', 'p', 'distances'),
    node('Add', ['distances', 'bias'], 'logits'),
  ];
  const inputs = [
    input('x', ['n', 'd']),
    input('w', ['d', 'k']),
    input('means', ['m', 'd']),
    input('bias', ['m']),
  ];
  let outputs = [input('logits', ['n', 'm'])];
  if (kind === 'step') {
    inputs[0] = input('xall', ['N', 'd']);
    inputs.splice(1, 0, int64Input('rows', ['n']));
    nodes.unshift(node('Gather', ['xall', 'rows'], 'x'));
    inputs.push(input('t', ['n', 'm']));
    nodes.push(
      ...prototypeLossNodes('logits', 't', 'g'),
      node('Gemm', ['g', 'p'], 'dz', [alpha(-2)]),
      node('Gemm', ['g', 'z'], 'gz', [transA, alpha(-2)]),
      node('ReduceSum', ['g', 'axis0'], 'colsum', keep(1)),
      node('Transpose', ['colsum'], 'colsumT'),
      node('Mul', ['p', 'colsumT'], 'pc'),
      node('Mul', ['pc', 'two'], 'pc2'),
      node('Add', ['gz', 'pc2'], 'dp'),
      node('Gemm', ['x', 'dz'], 'dwx', [transA]),
      node('Gemm', ['means', 'dp', 'dwx'], 'dw', [transA]),
    );
    outputs = [input('loss', []), input('dw', ['d', 'k'])];
  }
  return encodeModel({
    name: `probe_${kind}`,
    node: nodes,
    initializer: [
      { name: 'axis1', dims: [1], dataType: INT64, int64Data: [1] },
      ...(kind === 'step'
        ? [
            { name: 'axis0', dims: [1], dataType: INT64, int64Data: [0] },
            { name: 'two', dims: [], dataType: FLOAT, floatData: [2] },
          ]
        : []),
    ],
    input: inputs,
    output: outputs,
  });
}

/** One probe step on onnxruntime over the rows `rows` of `xall` (dims.total × d): the loss and dW (float32). */
export async function ortProbeStep(
  xall: Float32Array,
  rows: BigInt64Array,
  w: Float32Array,
  means: Float32Array,
  bias: Float32Array,
  t: Float32Array,
  dims: { total: number; d: number; k: number; m: number },
  threads: number,
): Promise<{ loss: number; dw: Float32Array }> {
  const { d, k, m } = dims;
  const n = rows.length;
  const session = await ortSession('probe-step', () => buildProbeModel('step'), threads);
  const out = await session.run({
    xall: ortTensor(xall, [dims.total, d]),
    rows: ortInt64Tensor(rows, [n]),
    w: ortTensor(w, [d, k]),
    means: ortTensor(means, [m, d]),
    bias: ortTensor(bias, [m]),
    t: ortTensor(t, [n, m]),
  });
  return { loss: (out.loss.data as Float32Array)[0], dw: out.dw.data as Float32Array };
}

/** bias_c - ||x_i W - mu_c W||^2 on onnxruntime (n × m, float32). */
export async function ortProbeLogits(
  x: Float32Array,
  w: Float32Array,
  means: Float32Array,
  bias: Float32Array,
  dims: { n: number; d: number; k: number; m: number },
  threads: number,
): Promise<Float32Array> {
  const { n, d, k, m } = dims;
  const session = await ortSession('probe-logits', () => buildProbeModel('logits'), threads);
  const out = await session.run({
    x: ortTensor(x, [n, d]),
    w: ortTensor(w, [d, k]),
    means: ortTensor(means, [m, d]),
    bias: ortTensor(bias, [m]),
  });
  return out.logits.data as Float32Array;
}
