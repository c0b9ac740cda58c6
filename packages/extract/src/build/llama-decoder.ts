import { FLOAT32_MIN } from './bert-graph.js';
import type { GraphBuilder } from './graph-builder.js';
import { type LoadTensor, activation, arange, linear, rmsNorm, sequenceLength } from './graph-ops.js';
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

/** Where the decoder stack's inputs come from. */
export interface DecoderInputs {
  /** int64 `[B, S]` token ids. */
  ids: string;
  /** int64 `[B, T]` mask over the cached and the new positions (T = P + S). */
  mask: string;
  /** int64 positions of the new tokens, `[S]` or `[B, 1, 1, S]` (both broadcast over heads). */
  positions: string;
  /** Cached keys and values per layer, `[B, KV, P, Dh]`; null for no cache (P = 0). */
  past: Array<{ key: string; value: string }> | null;
}

/** The decoder stack's values. */
export interface DecoderValues {
  /** `hidden_states[0..L]`; entry L is the final-normed last_hidden_state. */
  hiddenStates: string[];
  /** Per layer, keys (rotated) and values over all T positions, `[B, KV, 1, T, Dh]`. */
  keyValues: Array<{ key: string; value: string }>;
  /** The raw (possibly float16) embedding initializer, for a tied lm_head. */
  embeddingTable: string;
}

interface Rotary {
  cos: string;
  sin: string;
}

/**
 * Emits the LLaMA-family decoder stack: token embeddings, then pre-RMSNorm layers of causal
 * grouped-query attention with rotary embeddings and a SwiGLU MLP, then the final RMSNorm.
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
  const bias = attentionBias(g, spec, inputs.ids, inputs.mask);
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
 * The additive attention mask `[B, 1, 1, S, T]`: query i sits at index P + i of the T = P + S
 * positions (P = T - S), and may see key k when k <= P + i (causal), P + i - k < sliding_window
 * (Mistral), and the mask marks k as a token. Causality goes by index, not position id, as
 * Hugging Face's `cache_position` does, so left padding works. The conditions are combined as
 * booleans, then one Where, so a masked score gets finfo.min once (adding two minima would
 * overflow to -inf).
 */
function attentionBias(g: GraphBuilder, spec: LlamaSpec, ids: string, mask: string): string {
  const total = g.op('Gather', [g.op('Shape', [mask]), g.int64Constant([1], [])], [attribute.int('axis', 0)]);
  const past = g.op('Sub', [total, sequenceLength(g, ids)]);
  const keyIndex = g.op('Unsqueeze', [arange(g, total), g.int64Constant([0])]); // [1, T]
  const queryIndex = g.op('Unsqueeze', [
    g.op('Range', [past, total, g.int64Constant([1], [])]),
    g.int64Constant([1]),
  ]); // [S, 1]
  let allowed = g.op('LessOrEqual', [keyIndex, queryIndex]); // [S, T]
  if (spec.slidingWindow !== null) {
    const distance = g.op('Sub', [queryIndex, keyIndex]);
    allowed = g.op('And', [allowed, g.op('Less', [distance, g.int64Constant([spec.slidingWindow], [])])]);
  }
  const notPadding = g.op('Unsqueeze', [
    g.op('Cast', [mask], [attribute.int('to', 9)]),
    g.int64Constant([1, 2, 3]),
  ]);
  return g.op('Where', [
    g.op('And', [allowed, notPadding]), // [B, 1, 1, S, T]
    g.floatConstant([0]),
    g.floatConstant([FLOAT32_MIN]),
  ]);
}

/**
 * Grouped-query attention without repeat_kv: queries are laid out [B, KV, R, S, Dh] (query head
 * h = kv * R + r, as repeat_kv orders them) and keys/values [B, KV, 1, T, Dh], so MatMul
 * broadcasts each key/value head over its R query heads. Cached keys and values (already
 * rotated) are prepended along the sequence axis.
 */
async function selfAttention(
  g: GraphBuilder,
  load: LoadTensor,
  spec: LlamaSpec,
  layer: number,
  normed: string,
  rotary: Rotary,
  bias: string,
  past: { key: string; value: string } | null,
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
  let value = g.op('Transpose', [await project('v_proj', [0, 0, kvHeads, 1, headDim])], toHeads);
  if (spec.modelType === 'qwen3') {
    query = await rmsNorm(g, load, query, `${q_}q_norm.weight`, headDim, epsilon);
    key = await rmsNorm(g, load, key, `${q_}k_norm.weight`, headDim, epsilon);
  }
  query = rotate(g, g.op('Transpose', [query], toHeads), rotary, headDim);
  key = rotate(g, g.op('Transpose', [key], toHeads), rotary, headDim);
  if (past !== null) {
    const withPast = (cached: string, fresh: string) =>
      g.op('Concat', [g.op('Unsqueeze', [cached, g.int64Constant([2])]), fresh], [attribute.int('axis', 3)]);
    key = withPast(past.key, key);
    value = withPast(past.value, value);
  }
  const keyT = g.op('Transpose', [key], [attribute.ints('perm', [0, 1, 2, 4, 3])]);
  const scaling = g.floatConstant([headDim ** -0.5]);
  const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [query, keyT]), scaling]), bias]);
  const probabilities = g.op('Softmax', [scores], [attribute.int('axis', -1)]);
  const context = g.op(
    'Transpose',
    [g.op('MatMul', [probabilities, value])],
    [attribute.ints('perm', [0, 3, 1, 2, 4])],
  );
  const merged = g.op('Reshape', [context, g.int64Constant([0, 0, heads * headDim])]);
  const output = await linear(
    g,
    load,
    merged,
    `${q_}o_proj.weight`,
    attentionBias ? `${q_}o_proj.bias` : null,
    hidden,
    heads * headDim,
  );
  return { output, key, value };
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
