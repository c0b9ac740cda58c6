import type { CheckpointConfig } from './checkpoint-config.js';
import { findPrefix } from './checkpoint-config.js';
import type { CheckpointReader } from './checkpoint-reader.js';
import { type DecoderStack, decoderHiddenStatesGraph, planDecoderGeneration } from './decoder-graphs.js';
import { ACTIVATIONS, type FamilyPlan, type TensorSpec } from './graph-ops.js';
import { type LlamaSpec, buildLlamaDecoder } from './llama-decoder.js';

/**
 * Rotary inverse frequencies `1 / theta^(2i / d)`, adjusted for `rope_scaling` types `linear`
 * and `llama3`, in float32 like transformers' `modeling_rope_utils.py`.
 *
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/modeling_rope_utils.py
 */
export function ropeInverseFrequencies(config: CheckpointConfig, headDim: number): Float32Array {
  const theta = config.number('rope_theta', 10000);
  const f = Math.fround;
  const inv = new Float32Array(headDim / 2);
  for (let i = 0; i < inv.length; i++) inv[i] = f(1 / f(theta ** f((2 * i) / headDim)));
  const scaling = config.raw.rope_scaling as Record<string, unknown> | null | undefined;
  if (scaling === undefined || scaling === null) return inv;
  const kind = String(scaling.rope_type ?? scaling.type ?? 'default');
  const number = (key: string): number => {
    const value = scaling[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      config.unsupported(`has rope_scaling.${key} ${JSON.stringify(value)} (a finite number is needed)`);
    }
    return value as number;
  };
  if (kind === 'default') return inv;
  if (kind === 'linear') return inv.map((v) => v / number('factor'));
  if (kind === 'llama3') {
    const factor = number('factor');
    const low = number('low_freq_factor');
    const high = number('high_freq_factor');
    const old = number('original_max_position_embeddings');
    const lowWavelength = old / low;
    const highWavelength = old / high;
    return inv.map((v) => {
      const wavelength = (2 * Math.PI) / v;
      if (wavelength < highWavelength) return v;
      if (wavelength > lowWavelength) return v / factor;
      const smooth = (old / wavelength - low) / (high - low);
      return ((1 - smooth) * v) / factor + smooth * v;
    });
  }
  return config.unsupported(`has rope_scaling type '${kind}' (supported: default, linear, llama3)`);
}

/**
 * Plans the graph of a LLaMA-family decoder (`LlamaModel`, `MistralModel`, `Qwen2Model`,
 * `Qwen3Model`): token embeddings, then pre-RMSNorm layers of causal grouped-query attention with
 * rotary embeddings (`rotate_half` convention, positions `0..S-1`) and a SwiGLU MLP, then the
 * final RMSNorm. Qwen2 adds q/k/v biases, Qwen3 RMS-normalises each query and key head before the
 * rotation, Mistral masks keys outside its `sliding_window`. `lm_head` is not part of this graph,
 * so tied and untied embeddings convert alike; the generation graph (see
 * {@link planDecoderGeneration}) adds it: `lm_head.weight`, or the embedding matrix when
 * config.json has `tie_word_embeddings` (transformers' default for these families being false).
 *
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/llama/modeling_llama.py
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/qwen3/modeling_qwen3.py
 */
export function planLlamaGraph(config: CheckpointConfig, reader: CheckpointReader): FamilyPlan {
  const modelType = config.string('model_type');
  const hidden = config.positiveInteger('hidden_size');
  const layers = config.positiveInteger('num_hidden_layers');
  const heads = config.positiveInteger('num_attention_heads');
  const kvHeads = config.positiveInteger('num_key_value_heads', heads);
  const intermediate = config.positiveInteger('intermediate_size');
  const vocab = config.positiveInteger('vocab_size');
  const epsilon = config.number('rms_norm_eps', 1e-6);
  const act = config.string('hidden_act', 'silu');
  if (!config.has('head_dim') && hidden % heads !== 0) {
    config.unsupported(
      `has hidden_size ${hidden} not divisible by num_attention_heads ${heads} and no head_dim`,
    );
  }
  const headDim = config.positiveInteger('head_dim', hidden / heads);
  if (headDim % 2 !== 0) config.unsupported(`has an odd head_dim ${headDim}`);
  if (heads % kvHeads !== 0) {
    config.unsupported(`has num_attention_heads ${heads} not divisible by num_key_value_heads ${kvHeads}`);
  }
  if (!(ACTIVATIONS as readonly string[]).includes(act)) {
    config.unsupported(`has hidden_act '${act}' (supported: ${ACTIVATIONS.join(', ')})`);
  }
  if (config.has('partial_rotary_factor') && config.number('partial_rotary_factor') !== 1) {
    config.unsupported(`has partial_rotary_factor ${config.number('partial_rotary_factor')}`);
  }
  if ((modelType === 'qwen2' || modelType === 'qwen3') && config.boolean('use_sliding_window', false)) {
    config.unsupported(`has use_sliding_window true for ${modelType}`);
  }
  const isQwen2 = modelType === 'qwen2';
  const attentionBias = isQwen2 ? false : config.boolean('attention_bias', false);
  const spec: LlamaSpec = {
    modelType,
    prefix: findPrefix(reader, 'embed_tokens.weight', "'model.'"),
    hidden,
    layers,
    heads,
    kvHeads,
    headDim,
    intermediate,
    vocab,
    epsilon,
    act,
    inverseFrequencies: ropeInverseFrequencies(config, headDim),
    qkvBias: isQwen2 || attentionBias,
    attentionBias,
    mlpBias: modelType === 'llama' ? config.boolean('mlp_bias', false) : false,
    slidingWindow:
      modelType === 'mistral' && config.has('sliding_window')
        ? config.positiveInteger('sliding_window')
        : null,
  };

  const stack: DecoderStack = (g, load, inputs) => buildLlamaDecoder(g, load, spec, inputs);
  // position_ids [B, S] → [B, 1, 1, S], to broadcast over the [B, KV, R, S, Dh] heads.
  const generationStack: DecoderStack = (g, load, inputs) =>
    stack(g, load, { ...inputs, positions: g.op('Unsqueeze', [inputs.positions, g.int64Constant([1, 2])]) });
  // The head sits beside the base model: `model.embed_tokens.weight` goes with `lm_head.weight`;
  // transformers ties these families' embeddings only when config.json says so.
  const head = () => ({
    name: `${spec.prefix.replace(/model\.$/, '')}lm_head.weight`,
    tied: config.boolean('tie_word_embeddings', false),
    why: `vocab_size ${vocab}, hidden_size ${hidden}`,
  });
  return {
    family: 'llama',
    numLayers: layers,
    hiddenSize: hidden,
    tensors: llamaTensors(spec),
    build: decoderHiddenStatesGraph(stack),
    generation: () => planDecoderGeneration(reader, spec, head(), generationStack),
  };
}

/** The checkpoint tensors of the decoder stack, with the shapes config.json implies. */
function llamaTensors(spec: LlamaSpec): TensorSpec[] {
  const { prefix: p, hidden, heads, kvHeads, headDim, intermediate, vocab, qkvBias, mlpBias } = spec;
  const tensors: TensorSpec[] = [];
  const want = (name: string, shape: number[], why: string) => tensors.push({ name: p + name, shape, why });
  const h = `hidden_size ${hidden}`;
  const qDim = heads * headDim;
  const kvDim = kvHeads * headDim;
  const qWhy = `num_attention_heads ${heads} x head_dim ${headDim}`;
  const kvWhy = `num_key_value_heads ${kvHeads} x head_dim ${headDim}`;
  const iWhy = `intermediate_size ${intermediate}`;
  want('embed_tokens.weight', [vocab, hidden], `vocab_size ${vocab}, ${h}`);
  for (let l = 0; l < spec.layers; l++) {
    const q = `layers.${l}.`;
    want(`${q}input_layernorm.weight`, [hidden], h);
    want(`${q}self_attn.q_proj.weight`, [qDim, hidden], `${qWhy}, ${h}`);
    if (qkvBias) want(`${q}self_attn.q_proj.bias`, [qDim], qWhy);
    want(`${q}self_attn.k_proj.weight`, [kvDim, hidden], `${kvWhy}, ${h}`);
    if (qkvBias) want(`${q}self_attn.k_proj.bias`, [kvDim], kvWhy);
    want(`${q}self_attn.v_proj.weight`, [kvDim, hidden], `${kvWhy}, ${h}`);
    if (qkvBias) want(`${q}self_attn.v_proj.bias`, [kvDim], kvWhy);
    if (spec.modelType === 'qwen3') {
      want(`${q}self_attn.q_norm.weight`, [headDim], `head_dim ${headDim}`);
      want(`${q}self_attn.k_norm.weight`, [headDim], `head_dim ${headDim}`);
    }
    want(`${q}self_attn.o_proj.weight`, [hidden, qDim], `${h}, ${qWhy}`);
    if (spec.attentionBias) want(`${q}self_attn.o_proj.bias`, [hidden], h);
    want(`${q}post_attention_layernorm.weight`, [hidden], h);
    for (const part of ['gate_proj', 'up_proj']) {
      want(`${q}mlp.${part}.weight`, [intermediate, hidden], `${iWhy}, ${h}`);
      if (mlpBias) want(`${q}mlp.${part}.bias`, [intermediate], iWhy);
    }
    want(`${q}mlp.down_proj.weight`, [hidden, intermediate], `${h}, ${iWhy}`);
    if (mlpBias) want(`${q}mlp.down_proj.bias`, [hidden], h);
  }
  want('norm.weight', [hidden], h);
  return tensors;
}
