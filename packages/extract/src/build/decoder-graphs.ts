import { pastName } from '../generation/cache-names.js';
import type { KeyValue } from './causal-attention.js';
import type { CheckpointReader } from './checkpoint-reader.js';
import type { GraphBuilder } from './graph-builder.js';
import {
  type FamilyGraph,
  type GenerationGraph,
  type GenerationPlan,
  type GenerationUnavailable,
  type LoadTensor,
  type TensorSpec,
  arange,
  linear,
  sequenceLength,
} from './graph-ops.js';
import { attribute } from './onnx-proto.js';

/** Where a decoder stack's inputs come from. */
export interface DecoderInputs {
  /** int64 `[B, S]` token ids. */
  ids: string;
  /** int64 `[B, T]` mask over the cached and the new positions (T = P + S). */
  mask: string;
  /** int64 positions of the new tokens: `[S]` (0..S-1) or the `[B, S]` `position_ids` input. */
  positions: string;
  /** Cached keys and values per layer, `[B, KV, P, Dh]`; null for no cache (P = 0). */
  past: KeyValue[] | null;
}

/** A decoder stack's values. */
export interface DecoderValues {
  /** `hidden_states[0..L]`; entry L is the final-normed last_hidden_state. */
  hiddenStates: string[];
  /** Per layer, keys (as the family caches them) and values over all T positions, `[B, KV, 1, T, Dh]`. */
  keyValues: KeyValue[];
  /** The raw (possibly float16) embedding initializer, for a tied lm_head. */
  embeddingTable: string;
}

/** Emits a family's decoder stack (embeddings, layers, final norm) into a graph. */
export type DecoderStack = (
  g: GraphBuilder,
  load: LoadTensor,
  inputs: DecoderInputs,
) => Promise<DecoderValues>;

/** The sizes a decoder's generation graph declares. */
export interface DecoderShape {
  vocab: number;
  hidden: number;
  layers: number;
  kvHeads: number;
  headDim: number;
}

/**
 * The hidden-states graph of a decoder: positions `0..S-1` whatever the padding, as in a plain
 * `model(input_ids, attention_mask)` call, and no cache.
 */
export function decoderHiddenStatesGraph(
  stack: DecoderStack,
): (g: GraphBuilder, load: LoadTensor) => Promise<FamilyGraph> {
  return async (g, load) => {
    const ids = 'input_ids';
    const mask = 'attention_mask';
    const positions = arange(g, sequenceLength(g, ids));
    const { hiddenStates } = await stack(g, load, { ids, mask, positions, past: null });
    return { inputs: [ids, mask], hiddenStates, lastHiddenState: hiddenStates[hiddenStates.length - 1] };
  };
}

/**
 * Plans the generation graph of a decoder (`*ForCausalLM`): `stack` fed with `position_ids` and
 * a key/value cache, then the language-model head, `head.name` or the embedding matrix itself
 * when `head.tied`; `head.why` names the config.json fields of its shape, for error messages.
 *
 * @returns Why not, when the head is untied and the checkpoint lacks `head.name` (a base-model
 *   checkpoint such as `LlamaModel`).
 */
export function planDecoderGeneration(
  reader: CheckpointReader,
  shape: DecoderShape,
  head: { name: string; tied: boolean; why: string },
  stack: DecoderStack,
): GenerationPlan | GenerationUnavailable {
  const { vocab, hidden, layers } = shape;
  if (!head.tied && reader.info(head.name) === undefined) {
    return {
      unavailable: `tensor '${head.name}' is missing and config.json does not tie the embeddings (tie_word_embeddings; a base-model checkpoint without its language-model head)`,
    };
  }
  const tensors: TensorSpec[] = head.tied ? [] : [{ name: head.name, shape: [vocab, hidden], why: head.why }];

  async function build(g: GraphBuilder, load: LoadTensor): Promise<GenerationGraph> {
    const past = Array.from({ length: layers }, (_, l) => ({
      key: pastName(l, 'key'),
      value: pastName(l, 'value'),
    }));
    const decoder = await stack(g, load, {
      ids: 'input_ids',
      mask: 'attention_mask',
      positions: 'position_ids',
      past,
    });
    const last = decoder.hiddenStates[layers];
    const logits = head.tied
      ? g.op('MatMul', [
          last,
          g.op('Transpose', [g.castToFloat(decoder.embeddingTable)], [attribute.ints('perm', [1, 0])]),
        ])
      : await linear(g, load, last, head.name, null, vocab, hidden);
    const squeeze = (t: string) => g.op('Squeeze', [t, g.int64Constant([2])]);
    const presents = decoder.keyValues.map(({ key, value }) => ({
      key: squeeze(key),
      value: squeeze(value),
    }));
    return { logits, presents, hiddenStates: decoder.hiddenStates };
  }

  return { tensors, kvHeads: shape.kvHeads, headDim: shape.headDim, vocabSize: vocab, build };
}
