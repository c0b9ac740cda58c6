import type { GraphBuilder } from './graph-builder.js';
import { attribute } from './onnx-proto.js';
import type { CheckpointFamily } from './supported-checkpoint-model-types.js';

/** A checkpoint tensor the graph needs, with the shape config.json implies. */
export interface TensorSpec {
  name: string;
  shape: number[];
  /** Where the expected shape comes from, for error messages (`hidden_size 768`). */
  why: string;
}

/** Reads one planned checkpoint tensor as float32 (reports progress, honours the abort signal). */
export type LoadTensor = (name: string) => Promise<Float32Array>;

/** What a family's graph exposes. */
export interface FamilyGraph {
  /** Graph inputs (int64, `[batch_size, sequence_length]`), in order. */
  inputs: string[];
  /** `hidden_states[0..L]` value names, Hugging Face's `output_hidden_states` order. */
  hiddenStates: string[];
  /** The `last_hidden_state` value name. */
  lastHiddenState: string;
}

/**
 * What a decoder's generation graph exposes. Its inputs are named as in {@link generationInputs}:
 * `input_ids`, `attention_mask`, `position_ids` and `past_key_values.<i>.key|value`.
 */
export interface GenerationGraph {
  /** `[batch, sequence, vocab]` scores of the next token. */
  logits: string;
  /** Per layer, the cache after this step (`[batch, kv_heads, past + sequence, head_dim]`). */
  presents: Array<{ key: string; value: string }>;
  /** `hidden_states[0..L]` of the new positions, as in {@link FamilyGraph.hiddenStates}. */
  hiddenStates: string[];
}

/** A decoder's generation graph: the tensors it reads beyond the family plan's, and its build. */
export interface GenerationPlan {
  /** `lm_head.weight` unless the embeddings are tied. */
  tensors: TensorSpec[];
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  build(g: GraphBuilder, load: LoadTensor): Promise<GenerationGraph>;
}

/** Why a decoder checkpoint cannot have a generation graph. */
export interface GenerationUnavailable {
  unavailable: string;
}

/** A family's plan: the tensors it reads (checked before any conversion) and its graph. */
export interface FamilyPlan {
  family: CheckpointFamily;
  numLayers: number;
  hiddenSize: number;
  tensors: TensorSpec[];
  build(g: GraphBuilder, load: LoadTensor): Promise<FamilyGraph>;
  /** Decoders only: plans the generation graph, or says why the checkpoint cannot have one. */
  generation?: () => GenerationPlan | GenerationUnavailable;
}

/**
 * Activations by `hidden_act`, as in transformers' `activations.py` (`ACT2FN`): `gelu` is the
 * exact erf form, `gelu_new`/`gelu_pytorch_tanh`/`gelu_fast` the tanh approximation.
 */
export const ACTIVATIONS = [
  'gelu',
  'gelu_new',
  'gelu_pytorch_tanh',
  'gelu_fast',
  'relu',
  'silu',
  'swish',
] as const;

/** Hugging Face linear layer `x W^T + b`, with `W` (`[out, in]`) stored transposed for MatMul. */
export async function linear(
  g: GraphBuilder,
  load: LoadTensor,
  x: string,
  weight: string,
  bias: string | null,
  outFeatures: number,
  inFeatures: number,
): Promise<string> {
  const transposed = async () => {
    const w = await load(weight);
    const t = new Float32Array(w.length);
    for (let o = 0; o < outFeatures; o++) {
      for (let i = 0; i < inFeatures; i++) t[i * outFeatures + o] = w[o * inFeatures + i];
    }
    return t;
  };
  const y = g.op('MatMul', [x, await g.weight(weight, transposed, [inFeatures, outFeatures])]);
  if (bias === null) return y;
  return g.op('Add', [y, await g.weight(bias, () => load(bias), [outFeatures])]);
}

/** GPT-2's `Conv1D`, `x W + b` with `W` stored `[in, out]`: MatMul's layout already. */
export async function conv1d(
  g: GraphBuilder,
  load: LoadTensor,
  x: string,
  prefix: string,
  inFeatures: number,
  outFeatures: number,
): Promise<string> {
  const weight = `${prefix}.weight`;
  const bias = `${prefix}.bias`;
  const y = g.op('MatMul', [x, await g.weight(weight, () => load(weight), [inFeatures, outFeatures])]);
  return g.op('Add', [y, await g.weight(bias, () => load(bias), [outFeatures])]);
}

/** `hidden_act` applied elementwise. */
export function activation(g: GraphBuilder, x: string, act: string): string {
  switch (act) {
    case 'gelu': {
      // 0.5 x (1 + erf(x / sqrt 2))
      const erf = g.op('Erf', [g.op('Div', [x, g.floatConstant([Math.SQRT2])])]);
      return g.op('Mul', [
        g.op('Mul', [x, g.op('Add', [erf, g.floatConstant([1])])]),
        g.floatConstant([0.5]),
      ]);
    }
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast': {
      // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
      const cube = g.op('Mul', [x, g.op('Mul', [x, x])]);
      const inner = g.op('Add', [x, g.op('Mul', [cube, g.floatConstant([0.044715])])]);
      const tanh = g.op('Tanh', [g.op('Mul', [inner, g.floatConstant([Math.sqrt(2 / Math.PI)])])]);
      return g.op('Mul', [
        g.op('Mul', [x, g.op('Add', [tanh, g.floatConstant([1])])]),
        g.floatConstant([0.5]),
      ]);
    }
    case 'relu':
      return g.op('Relu', [x]);
    default:
      // silu / swish: x sigmoid(x)
      return g.op('Mul', [x, g.op('Sigmoid', [x])]);
  }
}

/** `torch.nn.LayerNorm` over the last axis (ONNX `LayerNormalization`, opset 17). */
export async function layerNorm(
  g: GraphBuilder,
  load: LoadTensor,
  x: string,
  prefix: string,
  size: number,
  epsilon: number,
): Promise<string> {
  // Loaded lazily: a decoder's two graphs share the weights, each read once.
  const scale = await g.weight(`${prefix}.weight`, () => load(`${prefix}.weight`), [size]);
  const bias = await g.weight(`${prefix}.bias`, () => load(`${prefix}.bias`), [size]);
  return g.op(
    'LayerNormalization',
    [x, scale, bias],
    [attribute.int('axis', -1), attribute.float('epsilon', epsilon)],
  );
}

/**
 * `LlamaRMSNorm`: `weight * x / sqrt(mean(x^2) + eps)` over the last axis.
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/llama/modeling_llama.py
 */
export async function rmsNorm(
  g: GraphBuilder,
  load: LoadTensor,
  x: string,
  weightName: string,
  size: number,
  epsilon: number,
): Promise<string> {
  const meanSquare = g.op(
    'ReduceMean',
    [g.op('Mul', [x, x])],
    [attribute.ints('axes', [-1]), attribute.int('keepdims', 1)],
  );
  const normed = g.op('Div', [x, g.op('Sqrt', [g.op('Add', [meanSquare, g.floatConstant([epsilon])])])]);
  return g.op('Mul', [await g.weight(weightName, () => load(weightName), [size]), normed]);
}

/** The sequence length of `[batch, sequence]` int64 ids, as an int64 scalar. */
export function sequenceLength(g: GraphBuilder, ids: string): string {
  return g.op('Gather', [g.op('Shape', [ids]), g.int64Constant([1], [])], [attribute.int('axis', 0)]);
}

/** `0, 1, ..., length - 1` as int64. */
export function arange(g: GraphBuilder, length: string): string {
  return g.op('Range', [g.int64Constant([0], []), length, g.int64Constant([1], [])]);
}
