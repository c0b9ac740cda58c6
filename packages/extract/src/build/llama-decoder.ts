import { type KeyValue, attend, causalAttentionBias } from './causal-attention.js';
import type { DecoderInputs, DecoderValues } from './decoder-graphs.js';
import type { GraphBuilder } from './graph-builder.js';
import { type LoadTensor, activation, linear, rmsNorm } from './graph-ops.js';
import { attribute } from './onnx-proto.js';

/** The sizes and switches of a LLaMA-family checkpoint, as planLlamaGraph reads them. */
export interface LlamaSpec {
  modelType: string;
  /** Prefix of the base model's tensor names (`'model.'`, `''`). */
  prefix: string;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocab: number;
  epsilon: number;
  act: string;
  inverseFrequencies: Float32Array;
  qkvBias: boolean;
  attentionBias: boolean;
  mlpBias: boolean;
  slidingWindow: number | null;
}

interface Rotary {
  cos: string;
  sin: string;
}

/**
 * Emits the LLaMA-family decoder stack: token embeddings, then pre-RMSNorm layers of causal
 * grouped-query attention with rotary embeddings and a SwiGLU MLP, then the final RMSNorm.
 * Positions are `[S]` or `[B, 1, 1, S]` (both broadcast over the heads); the cache holds keys
 * after the rotation, as Hugging Face's `DynamicCache` does.
 *
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/llama/modeling_llama.py
 */
export async function buildLlamaDecoder(
  g: GraphBuilder,
  load: LoadTensor,
  spec: LlamaSpec,
  inputs: DecoderInputs,
): Promise<DecoderValues> {
  const { prefix: p, vocab, hidden, layers } = spec;
  const embedding = `${p}embed_tokens.weight`;
  const embeddingTable = await g.weight(embedding, () => load(embedding), [vocab, hidden], true);
  let x = g.castToFloat(g.op('Gather', [embeddingTable, inputs.ids]));
  const hiddenStates = [x];
  const keyValues: DecoderValues['keyValues'] = [];
  const rotary = rotaryTables(g, spec, inputs.positions);
  const bias = causalAttentionBias(g, inputs.ids, inputs.mask, spec.slidingWindow);
  for (let l = 0; l < layers; l++) {
    const q = `${p}layers.${l}.`;
    const normed = await rmsNorm(g, load, x, `${q}input_layernorm.weight`, hidden, spec.epsilon);
    const past = inputs.past?.[l] ?? null;
    const attention = await selfAttention(g, load, spec, l, normed, rotary, bias, past);
    keyValues.push({ key: attention.key, value: attention.value });
    x = g.op('Add', [x, attention.output]);
    const normed2 = await rmsNorm(g, load, x, `${q}post_attention_layernorm.weight`, hidden, spec.epsilon);
    x = g.op('Add', [x, await mlp(g, load, spec, l, normed2)]);
    hiddenStates.push(x);
  }
  // Hugging Face's output_hidden_states: hidden_states[L] is the final-normed last_hidden_state,
  // not the raw output of the last layer.
  hiddenStates[layers] = await rmsNorm(g, load, x, `${p}norm.weight`, hidden, spec.epsilon);
  return { hiddenStates, keyValues, embeddingTable };
}

/** Rotary tables cos/sin of `position * inv_freq`, duplicated to head_dim (`[..., S, Dh]`). */
function rotaryTables(g: GraphBuilder, spec: LlamaSpec, positions: string): Rotary {
  const { headDim, inverseFrequencies } = spec;
  const column = g.op('Unsqueeze', [
    g.op('Cast', [positions], [attribute.int('to', 1)]),
    g.int64Constant([-1]),
  ]);
  const frequencies = g.op('Mul', [column, g.floatConstant([...inverseFrequencies], [headDim / 2])]);
  const angles = g.op('Concat', [frequencies, frequencies], [attribute.int('axis', -1)]);
  return { cos: g.op('Cos', [angles]), sin: g.op('Sin', [angles]) };
}

/** `t * cos + rotate_half(t) * sin` with `rotate_half(t) = [-t2, t1]`. */
function rotate(g: GraphBuilder, t: string, rotary: Rotary, headDim: number): string {
  const half = headDim / 2;
  const x1 = g.op('Slice', [t, g.int64Constant([0]), g.int64Constant([half]), g.int64Constant([-1])]);
  const x2 = g.op('Slice', [t, g.int64Constant([half]), g.int64Constant([headDim]), g.int64Constant([-1])]);
  const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], [attribute.int('axis', -1)]);
  return g.op('Add', [g.op('Mul', [t, rotary.cos]), g.op('Mul', [rotated, rotary.sin])]);
}

/**
 * Grouped-query attention: queries projected to [B, KV, R, S, Dh] and keys/values to
 * [B, KV, 1, S, Dh] (see {@link attend}), queries and keys rotated before the cache is prepended.
 */
async function selfAttention(
  g: GraphBuilder,
  load: LoadTensor,
  spec: LlamaSpec,
  layer: number,
  normed: string,
  rotary: Rotary,
  bias: string,
  past: KeyValue | null,
): Promise<{ output: string; key: string; value: string }> {
  const { hidden, heads, kvHeads, headDim, qkvBias, attentionBias, epsilon } = spec;
  const q_ = `${spec.prefix}layers.${layer}.self_attn.`;
  const toHeads = [attribute.ints('perm', [0, 2, 3, 1, 4])];
  const project = async (part: string, shape: number[]) => {
    const out = shape[2] * shape[3] * headDim;
    const y = await linear(
      g,
      load,
      normed,
      `${q_}${part}.weight`,
      qkvBias ? `${q_}${part}.bias` : null,
      out,
      hidden,
    );
    return g.op('Reshape', [y, g.int64Constant(shape)]);
  };
  let query = await project('q_proj', [0, 0, kvHeads, heads / kvHeads, headDim]);
  let key = await project('k_proj', [0, 0, kvHeads, 1, headDim]);
  const value = g.op('Transpose', [await project('v_proj', [0, 0, kvHeads, 1, headDim])], toHeads);
  if (spec.modelType === 'qwen3') {
    query = await rmsNorm(g, load, query, `${q_}q_norm.weight`, headDim, epsilon);
    key = await rmsNorm(g, load, key, `${q_}k_norm.weight`, headDim, epsilon);
  }
  query = rotate(g, g.op('Transpose', [query], toHeads), rotary, headDim);
  key = rotate(g, g.op('Transpose', [key], toHeads), rotary, headDim);
  const attended = attend(g, { query, key, value }, past, bias, headDim ** -0.5, heads * headDim);
  const output = await linear(
    g,
    load,
    attended.context,
    `${q_}o_proj.weight`,
    attentionBias ? `${q_}o_proj.bias` : null,
    hidden,
    heads * headDim,
  );
  return { output, key: attended.key, value: attended.value };
}

/** SwiGLU: `down(act(gate(x)) * up(x))`. */
async function mlp(
  g: GraphBuilder,
  load: LoadTensor,
  spec: LlamaSpec,
  layer: number,
  x: string,
): Promise<string> {
  const { hidden, intermediate, mlpBias } = spec;
  const m = `${spec.prefix}layers.${layer}.mlp.`;
  const project = (part: string, input: string, out: number, inFeatures: number) =>
    linear(g, load, input, `${m}${part}.weight`, mlpBias ? `${m}${part}.bias` : null, out, inFeatures);
  const gate = activation(g, await project('gate_proj', x, intermediate, hidden), spec.act);
  const up = await project('up_proj', x, intermediate, hidden);
  return project('down_proj', g.op('Mul', [gate, up]), hidden, intermediate);
}
