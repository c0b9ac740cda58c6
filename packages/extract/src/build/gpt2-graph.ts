import type { CheckpointConfig } from './checkpoint-config.js';
import { findPrefix } from './checkpoint-config.js';
import type { CheckpointReader } from './checkpoint-reader.js';
import { type DecoderStack, decoderHiddenStatesGraph, planDecoderGeneration } from './decoder-graphs.js';
import { type Gpt2Spec, buildGpt2Decoder } from './gpt2-decoder.js';
import type { FamilyPlan, TensorSpec } from './graph-ops.js';

/** `activation_function`s of GPT-2 checkpoints: `gelu_new` (tanh form, the default) and kin. */
const GPT2_ACTIVATIONS = ['gelu_new', 'gelu_pytorch_tanh', 'gelu'];

/** GPT2Config switches that change the attention arithmetic; only their default (false) is built. */
const UNSUPPORTED_SWITCHES = ['scale_attn_by_inverse_layer_idx', 'reorder_and_upcast_attn'];

/**
 * Plans the graph of a GPT-2 decoder (`GPT2Model`, `GPT2LMHeadModel`; tensors under
 * `transformer.` or no prefix): token + learned position embeddings, pre-LayerNorm blocks of
 * causal multi-head attention and a GELU MLP in Conv1D layers, then `ln_f`. Sizes come from
 * GPT2Config's own keys (`n_embd`, `n_layer`, `n_head`, `n_inner`, `n_positions`). The
 * generation graph adds the head: the token embedding matrix (transformers ties GPT-2's
 * embeddings unless config.json sets `tie_word_embeddings` false).
 *
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/gpt2/modeling_gpt2.py
 */
export function planGpt2Graph(config: CheckpointConfig, reader: CheckpointReader): FamilyPlan {
  const hidden = config.positiveInteger('n_embd');
  const layers = config.positiveInteger('n_layer');
  const heads = config.positiveInteger('n_head');
  const act = config.string('activation_function', 'gelu_new');
  if (hidden % heads !== 0) config.unsupported(`has n_embd ${hidden} not divisible by n_head ${heads}`);
  if (!GPT2_ACTIVATIONS.includes(act)) {
    config.unsupported(`has activation_function '${act}' (supported: ${GPT2_ACTIVATIONS.join(', ')})`);
  }
  for (const key of UNSUPPORTED_SWITCHES) {
    if (config.boolean(key, false)) config.unsupported(`has ${key} true`);
  }
  const headDim = hidden / heads;
  const spec: Gpt2Spec = {
    prefix: findPrefix(reader, 'wte.weight', "'transformer.'"),
    hidden,
    layers,
    heads,
    kvHeads: heads,
    headDim,
    inner: config.positiveInteger('n_inner', 4 * hidden),
    vocab: config.positiveInteger('vocab_size'),
    positions: config.positiveInteger('n_positions', 1024),
    epsilon: config.number('layer_norm_epsilon', 1e-5),
    act,
    scaling: config.boolean('scale_attn_weights', true) ? headDim ** -0.5 : 1,
  };
  const stack: DecoderStack = (g, load, inputs) => buildGpt2Decoder(g, load, spec, inputs);
  // GPT2LMHeadModel saves `transformer.*` and, untied only, `lm_head.weight` beside it.
  const head = () => ({
    name: `${spec.prefix.replace(/transformer\.$/, '')}lm_head.weight`,
    tied: config.boolean('tie_word_embeddings', true),
    why: `vocab_size ${spec.vocab}, n_embd ${hidden}`,
  });
  return {
    family: 'gpt2',
    numLayers: layers,
    hiddenSize: hidden,
    tensors: gpt2Tensors(spec, config.has('n_inner') ? `n_inner ${spec.inner}` : `4 x n_embd ${hidden}`),
    build: decoderHiddenStatesGraph(stack),
    generation: () => planDecoderGeneration(reader, spec, head(), stack),
  };
}

/**
 * The checkpoint tensors of the decoder stack, with the shapes config.json implies; `i` says
 * where the MLP width comes from (`n_inner`, or 4 x n_embd when it is null).
 */
function gpt2Tensors(spec: Gpt2Spec, i: string): TensorSpec[] {
  const { prefix: p, hidden, inner, vocab, positions } = spec;
  const tensors: TensorSpec[] = [];
  const want = (name: string, shape: number[], why: string) => tensors.push({ name: p + name, shape, why });
  const h = `n_embd ${hidden}`;
  const layerNorm = (name: string) => {
    want(`${name}.weight`, [hidden], h);
    want(`${name}.bias`, [hidden], h);
  };
  // Conv1D weights are [in, out].
  const conv1d = (name: string, shape: [number, number], why: string, out: string) => {
    want(`${name}.weight`, shape, why);
    want(`${name}.bias`, [shape[1]], out);
  };
  want('wte.weight', [vocab, hidden], `vocab_size ${vocab}, ${h}`);
  want('wpe.weight', [positions, hidden], `n_positions ${positions}, ${h}`);
  for (let l = 0; l < spec.layers; l++) {
    const b = `h.${l}.`;
    layerNorm(`${b}ln_1`);
    conv1d(`${b}attn.c_attn`, [hidden, 3 * hidden], `${h}, 3 x ${h}`, `3 x ${h}`);
    conv1d(`${b}attn.c_proj`, [hidden, hidden], h, h);
    layerNorm(`${b}ln_2`);
    conv1d(`${b}mlp.c_fc`, [hidden, inner], `${h}, ${i}`, i);
    conv1d(`${b}mlp.c_proj`, [inner, hidden], `${i}, ${h}`, h);
  }
  layerNorm('ln_f');
  return tensors;
}
