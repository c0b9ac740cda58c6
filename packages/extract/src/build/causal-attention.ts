import { FLOAT32_MIN } from './bert-graph.js';
import type { GraphBuilder } from './graph-builder.js';
import { arange, sequenceLength } from './graph-ops.js';
import { attribute } from './onnx-proto.js';

/** One layer's keys and values. */
export interface KeyValue {
  key: string;
  value: string;
}

/**
 * The additive attention mask `[B, 1, 1, S, T]` of a decoder: query i sits at index P + i of the
 * T = P + S positions (P = T - S), and may see key k when k <= P + i (causal), P + i - k <
 * `slidingWindow` (Mistral), and the mask marks k as a token. Causality goes by index, not
 * position id, as Hugging Face's `cache_position` does, so left padding works. The conditions are
 * combined as booleans, then one Where, so a masked score gets finfo.min once (adding two minima
 * would overflow to -inf).
 */
export function causalAttentionBias(
  g: GraphBuilder,
  ids: string,
  mask: string,
  slidingWindow: number | null,
): string {
  const total = g.op('Gather', [g.op('Shape', [mask]), g.int64Constant([1], [])], [attribute.int('axis', 0)]);
  const past = g.op('Sub', [total, sequenceLength(g, ids)]);
  const keyIndex = g.op('Unsqueeze', [arange(g, total), g.int64Constant([0])]); // [1, T]
  const queryIndex = g.op('Unsqueeze', [
    g.op('Range', [past, total, g.int64Constant([1], [])]),
    g.int64Constant([1]),
  ]); // [S, 1]
  let allowed = g.op('LessOrEqual', [keyIndex, queryIndex]); // [S, T]
  if (slidingWindow !== null) {
    const distance = g.op('Sub', [queryIndex, keyIndex]);
    allowed = g.op('And', [allowed, g.op('Less', [distance, g.int64Constant([slidingWindow], [])])]);
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
 * Scaled dot-product attention without repeat_kv: queries are laid out `[B, KV, R, S, Dh]`
 * (query head h = kv * R + r, as repeat_kv orders them) and keys/values `[B, KV, 1, S, Dh]`, so
 * MatMul broadcasts each key/value head over its R query heads (R = 1 for multi-head attention).
 * Cached keys and values (`[B, KV, P, Dh]`) are prepended along the sequence axis.
 *
 * @param bias The additive mask of {@link causalAttentionBias}.
 * @param width Query heads x head_dim, the width of the merged context.
 * @returns The context merged to `[B, S, width]`, and the keys and values over all T positions
 *   (`[B, KV, 1, T, Dh]`).
 */
export function attend(
  g: GraphBuilder,
  heads: { query: string; key: string; value: string },
  past: KeyValue | null,
  bias: string,
  scaling: number,
  width: number,
): { context: string; key: string; value: string } {
  let { key, value } = heads;
  if (past !== null) {
    const withPast = (cached: string, fresh: string) =>
      g.op('Concat', [g.op('Unsqueeze', [cached, g.int64Constant([2])]), fresh], [attribute.int('axis', 3)]);
    key = withPast(past.key, key);
    value = withPast(past.value, value);
  }
  const keyT = g.op('Transpose', [key], [attribute.ints('perm', [0, 1, 2, 4, 3])]);
  const scores = g.op('Add', [
    g.op('Mul', [g.op('MatMul', [heads.query, keyT]), g.floatConstant([scaling])]),
    bias,
  ]);
  const probabilities = g.op('Softmax', [scores], [attribute.int('axis', -1)]);
  const context = g.op(
    'Transpose',
    [g.op('MatMul', [probabilities, value])],
    [attribute.ints('perm', [0, 3, 1, 2, 4])],
  );
  return { context: g.op('Reshape', [context, g.int64Constant([0, 0, width])]), key, value };
}
