import type { CheckpointConfig } from './checkpoint-config.js';
import { findPrefix } from './checkpoint-config.js';
import type { CheckpointReader } from './checkpoint-reader.js';
import type { GraphBuilder } from './graph-builder.js';
import {
  ACTIVATIONS,
  type FamilyGraph,
  type FamilyPlan,
  type LoadTensor,
  type TensorSpec,
  activation,
  arange,
  layerNorm,
  linear,
  sequenceLength,
} from './graph-ops.js';
import { attribute } from './onnx-proto.js';

/** `torch.finfo(torch.float32).min`, the additive mask value of Hugging Face's eager attention. */
export const FLOAT32_MIN = -3.4028234663852886e38;

/**
 * Plans the graph of a BERT-family encoder (`BertModel`, `RobertaModel`, `XLMRobertaModel`):
 * word + position + token-type embeddings and LayerNorm, then post-LayerNorm layers of
 * multi-head self-attention and a GELU MLP, with padded keys masked by adding float32's minimum.
 * RoBERTa/XLM-R positions count non-padding tokens from `pad_token_id + 1`
 * (`create_position_ids_from_input_ids`); BERT's positions are `0..S-1` and it takes
 * `token_type_ids` as a graph input.
 *
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/bert/modeling_bert.py
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/roberta/modeling_roberta.py
 */
export function planBertGraph(config: CheckpointConfig, reader: CheckpointReader): FamilyPlan {
  const modelType = config.string('model_type');
  const isRoberta = modelType !== 'bert';
  const hidden = config.positiveInteger('hidden_size');
  const layers = config.positiveInteger('num_hidden_layers');
  const heads = config.positiveInteger('num_attention_heads');
  const intermediate = config.positiveInteger('intermediate_size');
  const vocab = config.positiveInteger('vocab_size');
  const maxPositions = config.positiveInteger('max_position_embeddings', 512);
  const typeVocab = config.positiveInteger('type_vocab_size', 2);
  const epsilon = config.number('layer_norm_eps', 1e-12);
  const act = config.string('hidden_act', 'gelu');
  const padding = isRoberta ? config.integer('pad_token_id', 1) : 0;
  const positionType = config.string('position_embedding_type', 'absolute');
  if (positionType !== 'absolute') config.unsupported(`has position_embedding_type '${positionType}'`);
  if (!(ACTIVATIONS as readonly string[]).includes(act)) {
    config.unsupported(`has hidden_act '${act}' (supported: ${ACTIVATIONS.join(', ')})`);
  }
  if (config.boolean('is_decoder', false)) config.unsupported('has is_decoder true');
  if (hidden % heads !== 0) {
    config.unsupported(`has hidden_size ${hidden} not divisible by num_attention_heads ${heads}`);
  }
  const headDim = hidden / heads;
  const p = findPrefix(reader, 'embeddings.word_embeddings.weight', "'bert.' or 'roberta.'");

  const tensors: TensorSpec[] = [];
  const want = (name: string, shape: number[], why: string) => tensors.push({ name: p + name, shape, why });
  const h = `hidden_size ${hidden}`;
  want('embeddings.word_embeddings.weight', [vocab, hidden], `vocab_size ${vocab}, ${h}`);
  want(
    'embeddings.position_embeddings.weight',
    [maxPositions, hidden],
    `max_position_embeddings ${maxPositions}, ${h}`,
  );
  want('embeddings.token_type_embeddings.weight', [typeVocab, hidden], `type_vocab_size ${typeVocab}, ${h}`);
  want('embeddings.LayerNorm.weight', [hidden], h);
  want('embeddings.LayerNorm.bias', [hidden], h);
  const i_ = `intermediate_size ${intermediate}`;
  for (let l = 0; l < layers; l++) {
    const q = `encoder.layer.${l}.`;
    for (const part of ['query', 'key', 'value']) {
      want(`${q}attention.self.${part}.weight`, [hidden, hidden], h);
      want(`${q}attention.self.${part}.bias`, [hidden], h);
    }
    want(`${q}attention.output.dense.weight`, [hidden, hidden], h);
    want(`${q}attention.output.dense.bias`, [hidden], h);
    want(`${q}attention.output.LayerNorm.weight`, [hidden], h);
    want(`${q}attention.output.LayerNorm.bias`, [hidden], h);
    want(`${q}intermediate.dense.weight`, [intermediate, hidden], `${i_}, ${h}`);
    want(`${q}intermediate.dense.bias`, [intermediate], i_);
    want(`${q}output.dense.weight`, [hidden, intermediate], `${h}, ${i_}`);
    want(`${q}output.dense.bias`, [hidden], h);
    want(`${q}output.LayerNorm.weight`, [hidden], h);
    want(`${q}output.LayerNorm.bias`, [hidden], h);
  }

  async function build(g: GraphBuilder, load: LoadTensor): Promise<FamilyGraph> {
    const ids = 'input_ids';
    const mask = 'attention_mask';
    const inputs = isRoberta ? [ids, mask] : [ids, mask, 'token_type_ids'];
    const gather = (table: string, indices: string) => g.castToFloat(g.op('Gather', [table, indices]));
    const e = `${p}embeddings.`;

    const words = gather(
      await g.weight(
        `${e}word_embeddings.weight`,
        await load(`${e}word_embeddings.weight`),
        [vocab, hidden],
        true,
      ),
      ids,
    );
    let positionIds: string;
    if (isRoberta) {
      // create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad
      const notPad = g.op(
        'Cast',
        [g.op('Not', [g.op('Equal', [ids, g.int64Constant([padding], [])])])],
        [attribute.int('to', 7)],
      );
      const count = g.op('Mul', [g.op('CumSum', [notPad, g.int64Constant([1], [])]), notPad]);
      positionIds = g.op('Add', [count, g.int64Constant([padding], [])]);
    } else {
      positionIds = arange(g, sequenceLength(g, ids));
    }
    const positions = gather(
      await g.weight(
        `${e}position_embeddings.weight`,
        await load(`${e}position_embeddings.weight`),
        [maxPositions, hidden],
        true,
      ),
      positionIds,
    );
    const typeTable = await load(`${e}token_type_embeddings.weight`);
    let types: string;
    if (isRoberta) {
      // RoBERTa never receives token_type_ids: every token gets row 0.
      types = await g.weight(`${e}token_type_embeddings.weight`, typeTable.slice(0, hidden), [hidden]);
    } else {
      types = gather(
        await g.weight(`${e}token_type_embeddings.weight`, typeTable, [typeVocab, hidden], true),
        'token_type_ids',
      );
    }
    const sum = g.op('Add', [g.op('Add', [words, positions]), types]);
    let x = await layerNorm(g, load, sum, `${e}LayerNorm`, hidden, epsilon);
    const hiddenStates = [x];

    // (1 - mask) * finfo.min, shaped [B, 1, 1, S] to broadcast over heads and queries.
    const maskFloat = g.op('Cast', [mask], [attribute.int('to', 1)]);
    const inverted = g.op('Sub', [g.floatConstant([1]), maskFloat]);
    const maskBias = g.op('Unsqueeze', [
      g.op('Mul', [inverted, g.floatConstant([FLOAT32_MIN])]),
      g.int64Constant([1, 2]),
    ]);
    const headShape = g.int64Constant([0, 0, heads, headDim]);
    const mergedShape = g.int64Constant([0, 0, hidden]);
    const scale = g.floatConstant([Math.sqrt(headDim)]);

    for (let l = 0; l < layers; l++) {
      const q_ = `${p}encoder.layer.${l}.`;
      const project = (part: string) =>
        linear(
          g,
          load,
          x,
          `${q_}attention.self.${part}.weight`,
          `${q_}attention.self.${part}.bias`,
          hidden,
          hidden,
        );
      const split = (t: string, perm: number[]) =>
        g.op('Transpose', [g.op('Reshape', [t, headShape])], [attribute.ints('perm', perm)]);
      const query = split(await project('query'), [0, 2, 1, 3]); // [B, H, S, Dh]
      const key = split(await project('key'), [0, 2, 3, 1]); // [B, H, Dh, S]
      const value = split(await project('value'), [0, 2, 1, 3]); // [B, H, S, Dh]
      const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [query, key]), scale]), maskBias]);
      const probabilities = g.op('Softmax', [scores], [attribute.int('axis', -1)]);
      const context = g.op(
        'Transpose',
        [g.op('MatMul', [probabilities, value])],
        [attribute.ints('perm', [0, 2, 1, 3])],
      );
      const merged = g.op('Reshape', [context, mergedShape]);
      const attention = await linear(
        g,
        load,
        merged,
        `${q_}attention.output.dense.weight`,
        `${q_}attention.output.dense.bias`,
        hidden,
        hidden,
      );
      const a = await layerNorm(
        g,
        load,
        g.op('Add', [attention, x]),
        `${q_}attention.output.LayerNorm`,
        hidden,
        epsilon,
      );
      const up = await linear(
        g,
        load,
        a,
        `${q_}intermediate.dense.weight`,
        `${q_}intermediate.dense.bias`,
        intermediate,
        hidden,
      );
      const down = await linear(
        g,
        load,
        activation(g, up, act),
        `${q_}output.dense.weight`,
        `${q_}output.dense.bias`,
        hidden,
        intermediate,
      );
      x = await layerNorm(g, load, g.op('Add', [down, a]), `${q_}output.LayerNorm`, hidden, epsilon);
      hiddenStates.push(x);
    }
    return { inputs, hiddenStates, lastHiddenState: x };
  }

  return { family: 'bert', numLayers: layers, hiddenSize: hidden, tensors, build };
}
