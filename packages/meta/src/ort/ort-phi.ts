import type { Matrix } from '@xling/core';
import {
  ATTR_FLOAT,
  ATTR_INT,
  DEFAULT_ORT_THREADS,
  FLOAT,
  INT64,
  type InferenceSession,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
  asFloat32,
  encodeModel,
  input,
  node,
  ortSession,
  ortTensor as tensor,
  transA,
  transB,
} from './ort-graph.js';

export { DEFAULT_ORT_THREADS, asFloat32 } from './ort-graph.js';

/** The three graphs of phi on onnxruntime. */
export type OrtGraphKind = 'forward' | 'backward' | 'embed';

/**
 * The ONNX model (opset 17, dynamic n, d, h, k) of one graph kind:
 * - `forward`: hidden = LeakyReLU_0.2(x W1 + b1) ⊙ mask, z = hidden W2 + b2;
 * - `backward`: dW2 = hidden^T dz, dA = (dz W2^T) ⊙ LeakyReLU'(A) ⊙ mask (the slope read off
 *   the sign of hidden, which has the sign of A wherever the mask keeps a unit), db1 = colsum dA,
 *   dW1 = x^T dA (`Gemm` with `transA`/`transB`: MLAS reads transposed operands natively);
 * - `embed`: phi in evaluation mode, z only.
 */
export function buildPhiModel(kind: OrtGraphKind): Uint8Array {
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  let inputs: ValueInfoProto[];
  let outputs: ValueInfoProto[];
  const leaky = [{ name: 'alpha', type: ATTR_FLOAT, f: 0.2 }];
  if (kind === 'forward' || kind === 'embed') {
    inputs = [input('x', ['n', 'd']), input('w1', ['d', 'h']), input('b1', ['h'])];
    if (kind === 'forward') inputs.push(input('mask', ['n', 'h']));
    inputs.push(input('w2', ['h', 'k']), input('b2', ['k']));
    nodes.push(node('Gemm', ['x', 'w1', 'b1'], 'pre'));
    nodes.push(node('LeakyRelu', ['pre'], kind === 'forward' ? 'act' : 'hidden', leaky));
    if (kind === 'forward') nodes.push(node('Mul', ['act', 'mask'], 'hidden'));
    nodes.push(node('Gemm', ['hidden', 'w2', 'b2'], 'z'));
    outputs = [input('z', ['n', 'k'])];
    if (kind === 'forward') outputs.unshift(input('hidden', ['n', 'h']));
  } else {
    inputs = [
      input('x', ['n', 'd']),
      input('hidden', ['n', 'h']),
      input('mask', ['n', 'h']),
      input('dz', ['n', 'k']),
      input('w2', ['h', 'k']),
    ];
    initializers.push(
      { name: 'zero', dims: [], dataType: FLOAT, floatData: [0] },
      { name: 'one', dims: [], dataType: FLOAT, floatData: [1] },
      { name: 'slope', dims: [], dataType: FLOAT, floatData: [0.2] },
      { name: 'axis0', dims: [1], dataType: INT64, int64Data: [0] },
    );
    nodes.push(node('Gemm', ['hidden', 'dz'], 'dw2', [transA]));
    nodes.push(node('Gemm', ['dz', 'w2'], 'dhidden', [transB]));
    nodes.push(node('Greater', ['hidden', 'zero'], 'positive'));
    nodes.push(node('Where', ['positive', 'one', 'slope'], 'derivative'));
    nodes.push(node('Mul', ['derivative', 'mask'], 'gate'));
    nodes.push(node('Mul', ['dhidden', 'gate'], 'dpre'));
    nodes.push(node('ReduceSum', ['dpre', 'axis0'], 'db1', [{ name: 'keepdims', type: ATTR_INT, i: 0 }]));
    nodes.push(node('Gemm', ['x', 'dpre'], 'dw1', [transA]));
    outputs = [input('dw1', ['d', 'h']), input('db1', ['h']), input('dw2', ['h', 'k'])];
  }
  return encodeModel({
    name: `phi_${kind}`,
    node: nodes,
    initializer: initializers,
    input: inputs,
    output: outputs,
  });
}

/**
 * A cached onnxruntime CPU session of one graph kind with `threads` intra-op threads.
 * @throws XLING_BACKEND_UNAVAILABLE when onnxruntime cannot create the session.
 */
export function phiSession(kind: OrtGraphKind, threads = DEFAULT_ORT_THREADS): Promise<InferenceSession> {
  return ortSession(`phi-${kind}`, () => buildPhiModel(kind), threads);
}

/** phi's weights as onnxruntime takes them (any numeric storage; float32 on the way in). */
export interface OrtPhiWeights {
  w1: ArrayLike<number>;
  b1: ArrayLike<number>;
  w2: ArrayLike<number>;
  b2: ArrayLike<number>;
}

/** Widths d, h, k of phi from x (n × d) and the biases. */
function phiDims(w: OrtPhiWeights, x: Matrix) {
  return { n: x.rows, d: x.cols, h: w.b1.length, k: w.b2.length };
}

/**
 * phi's forward pass on rows x with a dropout `mask` (n × h) on onnxruntime: the hidden layer
 * (n × h) and z (n × k), float32.
 */
export async function ortPhiForward(
  w: OrtPhiWeights,
  x: Matrix<Float32Array>,
  mask: Float32Array,
  threads = DEFAULT_ORT_THREADS,
): Promise<{ hidden: Matrix<Float32Array>; z: Matrix<Float32Array> }> {
  const { n, d, h, k } = phiDims(w, x);
  const session = await phiSession('forward', threads);
  const out = await session.run({
    x: tensor(x.data, [n, d]),
    w1: tensor(asFloat32(w.w1), [d, h]),
    b1: tensor(asFloat32(w.b1), [h]),
    mask: tensor(mask, [n, h]),
    w2: tensor(asFloat32(w.w2), [h, k]),
    b2: tensor(asFloat32(w.b2), [k]),
  });
  return {
    hidden: { rows: n, cols: h, data: out.hidden.data as Float32Array },
    z: { rows: n, cols: k, data: out.z.data as Float32Array },
  };
}

/** Inputs of {@link ortPhiBackward}: the forward pass' x, hidden and mask, W2 (h × k) and dz (n × k). */
export interface OrtPhiBackwardInput {
  w2: Matrix;
  x: Matrix<Float32Array>;
  hidden: Matrix<Float32Array>;
  mask: Float32Array;
  dz: Matrix;
}

/** The products of phi's backward pass on onnxruntime: `{ dw1, db1, dw2 }`, float32. */
export async function ortPhiBackward(
  { w2, x, hidden, mask, dz }: OrtPhiBackwardInput,
  threads = DEFAULT_ORT_THREADS,
): Promise<{ dw1: Float32Array; db1: Float32Array; dw2: Float32Array }> {
  const { rows: n, cols: d } = x;
  const { rows: h, cols: k } = w2;
  const session = await phiSession('backward', threads);
  const out = await session.run({
    x: tensor(x.data, [n, d]),
    hidden: tensor(hidden.data, [n, h]),
    mask: tensor(mask, [n, h]),
    dz: tensor(asFloat32(dz.data), [n, k]),
    w2: tensor(asFloat32(w2.data), [h, k]),
  });
  return {
    dw1: out.dw1.data as Float32Array,
    db1: out.db1.data as Float32Array,
    dw2: out.dw2.data as Float32Array,
  };
}

/** phi in evaluation mode on onnxruntime (n × k, float32). */
export async function ortPhiEmbed(
  w: OrtPhiWeights,
  x: Matrix<Float32Array>,
  threads = DEFAULT_ORT_THREADS,
): Promise<Float32Array> {
  const { n, d, h, k } = phiDims(w, x);
  const session = await phiSession('embed', threads);
  const out = await session.run({
    x: tensor(x.data, [n, d]),
    w1: tensor(asFloat32(w.w1), [d, h]),
    b1: tensor(asFloat32(w.b1), [h]),
    w2: tensor(asFloat32(w.w2), [h, k]),
    b2: tensor(asFloat32(w.b2), [k]),
  });
  return out.z.data as Float32Array;
}
