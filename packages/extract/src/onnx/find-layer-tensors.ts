import type { ModelFamily } from '../families/model-family.js';
import type { OnnxModelProto } from './read-onnx-model.js';

/** A normalisation node found in an ONNX graph: a candidate layer boundary. */
export interface NormNode {
  /** Position among the graph's norm nodes, in topological order. */
  index: number;
  /** Node name (the first node of a decomposed norm). */
  node: string;
  /** `LayerNormalization`, `SimplifiedLayerNormalization`, `RMSNorm (decomposed)`, ... */
  opType: string;
  /** Tensor normalised (the residual stream before the norm), when the graph has it. */
  input: string | null;
  /** Normalised tensor, when it could be traced. */
  output: string | null;
}

/** Which tensor holds layer `layer`'s hidden states. */
export interface LayerTensor {
  /** 0 = embeddings, i = after block i. */
  layer: number;
  /** Tensor name in the graph. */
  tensor: string;
  /** Where it comes from: an existing graph output, or a norm node's input or output. */
  source: 'graph-output' | 'norm-input' | 'norm-output';
}

/** Result of {@link findLayerTensors}. */
export interface LayerOutputs {
  /** Outputs the graph declares. */
  graphOutputs: string[];
  /** Norm nodes in topological order. */
  norms: NormNode[];
  /** Layer 0..numLayers → tensor, or null when the graph does not fit the expected pattern. */
  layers: LayerTensor[] | null;
  /** Why `layers` is null. */
  problem?: string;
}

const NORM_OPS = new Set([
  'LayerNormalization',
  'SimplifiedLayerNormalization',
  'RMSNormalization',
  'SkipLayerNormalization',
  'SkipSimplifiedLayerNormalization',
]);

const HIDDEN_STATE_OUTPUT = /^hidden_states[._](\d+)$/;

function consumersOf(model: OnnxModelProto): Map<string, number[]> {
  const consumers = new Map<string, number[]>();
  model.graph.node.forEach((node, i) => {
    for (const input of node.input) {
      if (!consumers.has(input)) consumers.set(input, []);
      consumers.get(input)!.push(i);
    }
  });
  return consumers;
}

/** Follows a chain of single elementwise consumers (Mul by weight, Add bias) from `tensor`. */
function followAffine(model: OnnxModelProto, consumers: Map<string, number[]>, tensor: string): string {
  let current = tensor;
  for (let step = 0; step < 2; step++) {
    const next = consumers.get(current) ?? [];
    if (next.length !== 1) break;
    const node = model.graph.node[next[0]];
    if (node.opType !== 'Mul' && node.opType !== 'Add') break;
    current = node.output[0];
  }
  return current;
}

/**
 * Finds normalisation nodes: fused ones (LayerNormalization, SimplifiedLayerNormalization, ...)
 * and the decomposed forms torch exports below opset 17 (LayerNorm: ReduceMean → Sub → ... →
 * Div → Mul → Add; RMSNorm: Pow(x, 2) → ReduceMean → Add → Sqrt → Div/Reciprocal → Mul → Mul).
 */
export function findNormNodes(model: OnnxModelProto): NormNode[] {
  const nodes = model.graph.node;
  const consumers = consumersOf(model);
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const out of node.output) producer.set(out, i);
  });
  const norms: NormNode[] = [];
  nodes.forEach((node, i) => {
    const name = node.name || `${node.opType}_${i}`;
    if (NORM_OPS.has(node.opType)) {
      const skip = node.opType.startsWith('Skip');
      // Skip*Normalization fuses the residual Add; its 4th output (when present) is the sum.
      const input = skip ? node.output[3] || null : node.input[0];
      norms.push({ index: 0, node: name, opType: node.opType, input, output: node.output[0] });
      return;
    }
    if (node.opType === 'ReduceMean') {
      const x = node.input[0];
      const next = (consumers.get(node.output[0]) ?? []).map((j) => nodes[j]);
      const sub = next.find((n) => n.opType === 'Sub' && n.input[0] === x);
      if (sub) {
        const div = (consumers.get(sub.output[0]) ?? []).map((j) => nodes[j]).find((n) => n.opType === 'Div');
        const output = div ? followAffine(model, consumers, div.output[0]) : null;
        norms.push({ index: 0, node: name, opType: 'LayerNorm (decomposed)', input: x, output });
      }
      return;
    }
    if (node.opType === 'Pow') {
      const x = node.input[0];
      const next = consumers.get(node.output[0]) ?? [];
      const fromSub = producer.has(x) && nodes[producer.get(x)!].opType === 'Sub';
      if (next.length === 1 && nodes[next[0]].opType === 'ReduceMean' && !fromSub) {
        norms.push({ index: 0, node: name, opType: 'RMSNorm (decomposed)', input: x, output: null });
      }
    }
  });
  norms.forEach((n, i) => {
    n.index = i;
  });
  return norms;
}

/**
 * Finds the candidate layer outputs of an ONNX graph:
 * the graph's outputs, its normalisation nodes in order, and the tensor xling would read for
 * each layer 0..numLayers. Layers come from `hidden_states.<i>` outputs when the export has them;
 * otherwise from the norms: post-norm families (BERT, XLM-R) read the embedding norm's and each
 * block's last norm's output (2L + 1 norms); pre-norm families (LLaMA, Qwen, GPT-2) read the
 * input of each block's first norm (the residual stream) and, for layer L, the final norm's
 * output (the graph's first output), as Hugging Face's `hidden_states` do.
 */
export function findLayerTensors(
  model: OnnxModelProto,
  family: ModelFamily,
  numLayers: number,
): LayerOutputs {
  const graphOutputs = model.graph.output.map((o) => o.name as string);
  const norms = findNormNodes(model);
  const byIndex = new Map<number, string>();
  for (const name of graphOutputs) {
    const match = HIDDEN_STATE_OUTPUT.exec(name);
    if (match) byIndex.set(Number(match[1]), name);
  }
  if (byIndex.size === numLayers + 1 && [...byIndex.keys()].every((k) => k <= numLayers)) {
    const layers = [...byIndex.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([layer, tensor]) => ({ layer, tensor, source: 'graph-output' as const }));
    return { graphOutputs, norms, layers };
  }
  const expected = 2 * numLayers + 1;
  if (norms.length !== expected) {
    return {
      graphOutputs,
      norms,
      layers: null,
      problem: `expected ${expected} normalisation nodes for ${numLayers} ${family.normPlacement} blocks, but found ${norms.length}; name the layer tensors with the 'layerTensors' option.`,
    };
  }
  const layers: LayerTensor[] = [];
  for (let layer = 0; layer <= numLayers; layer++) {
    if (family.normPlacement === 'post-norm') {
      const tensor = norms[2 * layer].output;
      if (tensor) layers.push({ layer, tensor, source: 'norm-output' });
    } else if (layer < numLayers) {
      const tensor = norms[2 * layer].input;
      if (tensor) layers.push({ layer, tensor, source: 'norm-input' });
    } else {
      layers.push({ layer, tensor: norms[expected - 1].output ?? graphOutputs[0], source: 'norm-output' });
    }
  }
  if (layers.length !== numLayers + 1) {
    return {
      graphOutputs,
      norms,
      layers: null,
      problem:
        "some norm nodes have no traceable tensor; name the layer tensors with the 'layerTensors' option.",
    };
  }
  return { graphOutputs, norms, layers };
}
