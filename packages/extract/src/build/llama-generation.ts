import { pastName } from '../generation/cache-names.js';
import type { CheckpointConfig } from './checkpoint-config.js';
import type { CheckpointReader } from './checkpoint-reader.js';
import type { GraphBuilder } from './graph-builder.js';
import {
  type GenerationGraph,
  type GenerationPlan,
  type GenerationUnavailable,
  type LoadTensor,
  type TensorSpec,
  linear,
} from './graph-ops.js';
import { type LlamaSpec, buildLlamaDecoder } from './llama-decoder.js';
import { attribute } from './onnx-proto.js';

/**
 * Plans the generation graph of a LLaMA-family decoder (`LlamaForCausalLM` and kin): the decoder
 * stack of {@link planLlamaGraph} fed with `position_ids` and a key/value cache, then `lm_head`
 * (the embedding matrix itself when config.json has `tie_word_embeddings`, transformers' default
 * for these families being false). The cache holds keys after the rotation, as Hugging Face's
 * `DynamicCache` does.
 *
 * @throws XLING_MODEL_FOLDER when the head is untied and the checkpoint has no `lm_head.weight`
 *   (a base-model checkpoint such as `LlamaModel`).
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/llama/modeling_llama.py
 */
export function planLlamaGeneration(
  config: CheckpointConfig,
  reader: CheckpointReader,
  spec: LlamaSpec,
): GenerationPlan | GenerationUnavailable {
  const { vocab, hidden, layers } = spec;
  const tied = config.boolean('tie_word_embeddings', false);
  // The head sits beside the base model: `model.embed_tokens.weight` goes with `lm_head.weight`.
  const head = `${spec.prefix.replace(/model\.$/, '')}lm_head.weight`;
  if (!tied && reader.info(head) === undefined) {
    return {
      unavailable: `tensor '${head}' is missing and config.json does not set tie_word_embeddings (a base-model checkpoint without its language-model head)`,
    };
  }
  const tensors: TensorSpec[] = tied
    ? []
    : [{ name: head, shape: [vocab, hidden], why: `vocab_size ${vocab}, hidden_size ${hidden}` }];

  async function build(g: GraphBuilder, load: LoadTensor): Promise<GenerationGraph> {
    const past = Array.from({ length: layers }, (_, l) => ({
      key: pastName(l, 'key'),
      value: pastName(l, 'value'),
    }));
    // position_ids [B, S] → [B, 1, 1, S], to broadcast over the [B, KV, R, S, Dh] heads.
    const positions = g.op('Unsqueeze', ['position_ids', g.int64Constant([1, 2])]);
    const decoder = await buildLlamaDecoder(g, load, spec, {
      ids: 'input_ids',
      mask: 'attention_mask',
      positions,
      past,
    });
    const last = decoder.hiddenStates[layers];
    const logits = tied
      ? g.op('MatMul', [
          last,
          g.op('Transpose', [g.castToFloat(decoder.embeddingTable)], [attribute.ints('perm', [1, 0])]),
        ])
      : await linear(g, load, last, head, null, vocab, hidden);
    const squeeze = (t: string) => g.op('Squeeze', [t, g.int64Constant([2])]);
    const presents = decoder.keyValues.map(({ key, value }) => ({
      key: squeeze(key),
      value: squeeze(value),
    }));
    return { logits, presents, hiddenStates: decoder.hiddenStates };
  }

  return { tensors, kvHeads: spec.kvHeads, headDim: spec.headDim, vocabSize: vocab, build };
}
