import { type KeyValue, attend, causalAttentionBias } from './causal-attention.js';
import type { DecoderInputs, DecoderValues } from './decoder-graphs.js';
import type { GraphBuilder } from './graph-builder.js';
import { type LoadTensor, activation, conv1d, layerNorm } from './graph-ops.js';
import { attribute } from './onnx-proto.js';

/** The sizes and switches of a GPT-2 checkpoint, as planGpt2Graph reads them. */
export interface Gpt2Spec {
  /** Prefix of the base model's tensor names (`'transformer.'`, `''`). */
  prefix: string;
  hidden: number;
  layers: number;
  heads: number;
  /** Every head has its own keys and values (multi-head attention). */
  kvHeads: number;
  headDim: number;
  inner: number;
  vocab: number;
  positions: number;
  epsilon: number;
  act: string;
  /** Factor of the attention scores: `1 / sqrt(head_dim)`, or 1 without `scale_attn_weights`. */
  scaling: number;
}

/**
 * Emits the GPT-2 decoder stack: token + learned position embeddings (`wte`, `wpe`), then
 * pre-LayerNorm blocks of causal multi-head attention and a GELU MLP (Conv1D layers), then
 * `ln_f`. Positions are `[S]` or `[B, S]` rows of `wpe`.
 *
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/gpt2/modeling_gpt2.py
 */
export async function buildGpt2Decoder(
  g: GraphBuilder,
  load: LoadTensor,
  spec: Gpt2Spec,
  inputs: DecoderInputs,
): Promise<DecoderValues> {
  const { prefix: p, vocab, hidden, layers, epsilon } = spec;
  const table = async (name: string, rows: number) =>
    g.weight(`${p}${name}.weight`, () => load(`${p}${name}.weight`), [rows, hidden], true);
  const embeddingTable = await table('wte', vocab);
  const gather = (rows: string, indices: string) => g.castToFloat(g.op('Gather', [rows, indices]));
  let x = g.op('Add', [
    gather(embeddingTable, inputs.ids),
    gather(await table('wpe', spec.positions), inputs.positions),
  ]);
  const hiddenStates = [x];
  const keyValues: KeyValue[] = [];
  const bias = causalAttentionBias(g, inputs.ids, inputs.mask, null);
  for (let l = 0; l < layers; l++) {
    const block = `${p}h.${l}.`;
    const normed = await layerNorm(g, load, x, `${block}ln_1`, hidden, epsilon);
    const attention = await selfAttention(g, load, spec, block, normed, bias, inputs.past?.[l] ?? null);
    keyValues.push({ key: attention.key, value: attention.value });
    x = g.op('Add', [x, attention.output]);
    const normed2 = await layerNorm(g, load, x, `${block}ln_2`, hidden, epsilon);
    x = g.op('Add', [x, await mlp(g, load, spec, block, normed2)]);
    hiddenStates.push(x);
  }
  // As GPT2Model's all_hidden_states: the last entry is after ln_f.
  hiddenStates[layers] = await layerNorm(g, load, x, `${p}ln_f`, hidden, epsilon);
  return { hiddenStates, keyValues, embeddingTable };
}

/**
 * Multi-head attention from `c_attn`'s `q|k|v` columns, split into heads laid out as
 * {@link attend} takes them (one query head per key/value head), then `c_proj`.
 */
async function selfAttention(
  g: GraphBuilder,
  load: LoadTensor,
  spec: Gpt2Spec,
  block: string,
  normed: string,
  bias: string,
  past: KeyValue | null,
): Promise<{ output: string; key: string; value: string }> {
  const { hidden, heads, headDim } = spec;
  const qkv = await conv1d(g, load, normed, `${block}attn.c_attn`, hidden, 3 * hidden);
  // [B, S, 3 * D] → [B, S, 3, H, 1, Dh] → [3, B, H, 1, S, Dh]
  const split = g.op(
    'Transpose',
    [g.op('Reshape', [qkv, g.int64Constant([0, 0, 3, heads, 1, headDim])])],
    [attribute.ints('perm', [2, 0, 3, 4, 1, 5])],
  );
  const part = (index: number) =>
    g.op('Gather', [split, g.int64Constant([index], [])], [attribute.int('axis', 0)]);
  const attended = attend(
    g,
    { query: part(0), key: part(1), value: part(2) },
    past,
    bias,
    spec.scaling,
    hidden,
  );
  const output = await conv1d(g, load, attended.context, `${block}attn.c_proj`, hidden, hidden);
  return { output, key: attended.key, value: attended.value };
}

/** `c_proj(act(c_fc(x)))`. */
async function mlp(
  g: GraphBuilder,
  load: LoadTensor,
  spec: Gpt2Spec,
  block: string,
  x: string,
): Promise<string> {
  const up = await conv1d(g, load, x, `${block}mlp.c_fc`, spec.hidden, spec.inner);
  return conv1d(g, load, activation(g, up, spec.act), `${block}mlp.c_proj`, spec.inner, spec.hidden);
}
