import { FLOAT32_MIN } from './bert-graph.js';
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
  linear,
  rmsNorm,
  sequenceLength,
} from './graph-ops.js';
import { attribute } from './onnx-proto.js';

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
 * rotation, Mistral masks keys outside its `sliding_window`. `lm_head` is not part of the graph,
 * so tied and untied embeddings convert alike.
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
  const inverseFrequencies = ropeInverseFrequencies(config, headDim);
  const isQwen2 = modelType === 'qwen2';
  const attentionBias = isQwen2 ? false : config.boolean('attention_bias', false);
  const qkvBias = isQwen2 || attentionBias;
  const mlpBias = modelType === 'llama' ? config.boolean('mlp_bias', false) : false;
  const slidingWindow =
    modelType === 'mistral' && config.has('sliding_window') ? config.positiveInteger('sliding_window') : null;
  const repeats = heads / kvHeads;
  const p = findPrefix(reader, 'embed_tokens.weight', "'model.'");

  const tensors: TensorSpec[] = [];
  const want = (name: string, shape: number[], why: string) => tensors.push({ name: p + name, shape, why });
  const h = `hidden_size ${hidden}`;
  const qDim = heads * headDim;
  const kvDim = kvHeads * headDim;
  const qWhy = `num_attention_heads ${heads} x head_dim ${headDim}`;
  const kvWhy = `num_key_value_heads ${kvHeads} x head_dim ${headDim}`;
  const iWhy = `intermediate_size ${intermediate}`;
  want('embed_tokens.weight', [vocab, hidden], `vocab_size ${vocab}, ${h}`);
  for (let l = 0; l < layers; l++) {
    const q = `layers.${l}.`;
    want(`${q}input_layernorm.weight`, [hidden], h);
    want(`${q}self_attn.q_proj.weight`, [qDim, hidden], `${qWhy}, ${h}`);
    if (qkvBias) want(`${q}self_attn.q_proj.bias`, [qDim], qWhy);
    want(`${q}self_attn.k_proj.weight`, [kvDim, hidden], `${kvWhy}, ${h}`);
    if (qkvBias) want(`${q}self_attn.k_proj.bias`, [kvDim], kvWhy);
    want(`${q}self_attn.v_proj.weight`, [kvDim, hidden], `${kvWhy}, ${h}`);
    if (qkvBias) want(`${q}self_attn.v_proj.bias`, [kvDim], kvWhy);
    if (modelType === 'qwen3') {
      want(`${q}self_attn.q_norm.weight`, [headDim], `head_dim ${headDim}`);
      want(`${q}self_attn.k_norm.weight`, [headDim], `head_dim ${headDim}`);
    }
    want(`${q}self_attn.o_proj.weight`, [hidden, qDim], `${h}, ${qWhy}`);
    if (attentionBias) want(`${q}self_attn.o_proj.bias`, [hidden], h);
    want(`${q}post_attention_layernorm.weight`, [hidden], h);
    for (const part of ['gate_proj', 'up_proj']) {
      want(`${q}mlp.${part}.weight`, [intermediate, hidden], `${iWhy}, ${h}`);
      if (mlpBias) want(`${q}mlp.${part}.bias`, [intermediate], iWhy);
    }
    want(`${q}mlp.down_proj.weight`, [hidden, intermediate], `${h}, ${iWhy}`);
    if (mlpBias) want(`${q}mlp.down_proj.bias`, [hidden], h);
  }
  want('norm.weight', [hidden], h);

  async function build(g: GraphBuilder, load: LoadTensor): Promise<FamilyGraph> {
    const ids = 'input_ids';
    const mask = 'attention_mask';
    const table = await g.weight(
      `${p}embed_tokens.weight`,
      await load(`${p}embed_tokens.weight`),
      [vocab, hidden],
      true,
    );
    let x = g.castToFloat(g.op('Gather', [table, ids]));
    const hiddenStates = [x];

    // Rotary tables cos/sin of pos * inv_freq, duplicated to head_dim ([S, Dh]); they broadcast
    // over the leading batch and head axes.
    const length = sequenceLength(g, ids);
    const index = arange(g, length);
    const positions = g.op('Unsqueeze', [
      g.op('Cast', [index], [attribute.int('to', 1)]),
      g.int64Constant([1]),
    ]);
    const frequencies = g.op('Mul', [positions, g.floatConstant([...inverseFrequencies], [1, headDim / 2])]);
    const angles = g.op('Concat', [frequencies, frequencies], [attribute.int('axis', -1)]);
    const cos = g.op('Cos', [angles]);
    const sin = g.op('Sin', [angles]);
    const half = headDim / 2;
    const firstHalf = [g.int64Constant([0]), g.int64Constant([half]), g.int64Constant([-1])];
    const secondHalf = [g.int64Constant([half]), g.int64Constant([headDim]), g.int64Constant([-1])];
    const rotate = (t: string) => {
      // x * cos + rotate_half(x) * sin with rotate_half(x) = [-x2, x1]
      const x1 = g.op('Slice', [t, ...firstHalf]);
      const x2 = g.op('Slice', [t, ...secondHalf]);
      const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], [attribute.int('axis', -1)]);
      return g.op('Add', [g.op('Mul', [t, cos]), g.op('Mul', [rotated, sin])]);
    };

    // Allowed keys: k <= q (causal), q - k < sliding_window (Mistral), and not padding.
    // Combined as booleans, then one Where, so a masked score gets finfo.min once (adding two
    // minima would overflow to -inf).
    const keyIndex = g.op('Unsqueeze', [index, g.int64Constant([0])]); // [1, S]
    const queryIndex = g.op('Unsqueeze', [index, g.int64Constant([1])]); // [S, 1]
    let allowed = g.op('LessOrEqual', [keyIndex, queryIndex]); // [S, S]
    if (slidingWindow !== null) {
      const distance = g.op('Sub', [queryIndex, keyIndex]);
      allowed = g.op('And', [allowed, g.op('Less', [distance, g.int64Constant([slidingWindow], [])])]);
    }
    const notPadding = g.op('Unsqueeze', [
      g.op('Cast', [mask], [attribute.int('to', 9)]),
      g.int64Constant([1, 2, 3]),
    ]);
    const maskBias = g.op('Where', [
      g.op('And', [allowed, notPadding]), // [B, 1, 1, S, S]
      g.floatConstant([0]),
      g.floatConstant([FLOAT32_MIN]),
    ]);

    // Grouped-query attention without repeat_kv: queries are laid out [B, KV, R, S, Dh] (query
    // head h = kv * R + r, as repeat_kv orders them) and keys/values [B, KV, 1, S, Dh], so MatMul
    // broadcasts each key/value head over its R query heads.
    const queryShape = g.int64Constant([0, 0, kvHeads, repeats, headDim]);
    const keyShape = g.int64Constant([0, 0, kvHeads, 1, headDim]);
    const toHeads = [attribute.ints('perm', [0, 2, 3, 1, 4])];
    const mergedShape = g.int64Constant([0, 0, qDim]);
    const scaling = g.floatConstant([headDim ** -0.5]);

    for (let l = 0; l < layers; l++) {
      const q_ = `${p}layers.${l}.`;
      const normed = await rmsNorm(g, load, x, `${q_}input_layernorm.weight`, hidden, epsilon);
      const project = (part: string, out: number) =>
        linear(
          g,
          load,
          normed,
          `${q_}self_attn.${part}.weight`,
          qkvBias ? `${q_}self_attn.${part}.bias` : null,
          out,
          hidden,
        );
      let query = g.op('Reshape', [await project('q_proj', qDim), queryShape]);
      let key = g.op('Reshape', [await project('k_proj', kvDim), keyShape]);
      const value = g.op('Transpose', [g.op('Reshape', [await project('v_proj', kvDim), keyShape])], toHeads);
      if (modelType === 'qwen3') {
        query = await rmsNorm(g, load, query, `${q_}self_attn.q_norm.weight`, headDim, epsilon);
        key = await rmsNorm(g, load, key, `${q_}self_attn.k_norm.weight`, headDim, epsilon);
      }
      query = rotate(g.op('Transpose', [query], toHeads));
      key = rotate(g.op('Transpose', [key], toHeads));
      const keyT = g.op('Transpose', [key], [attribute.ints('perm', [0, 1, 2, 4, 3])]);
      const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [query, keyT]), scaling]), maskBias]);
      const probabilities = g.op('Softmax', [scores], [attribute.int('axis', -1)]);
      const context = g.op(
        'Transpose',
        [g.op('MatMul', [probabilities, value])],
        [attribute.ints('perm', [0, 3, 1, 2, 4])],
      );
      const merged = g.op('Reshape', [context, mergedShape]);
      const attention = await linear(
        g,
        load,
        merged,
        `${q_}self_attn.o_proj.weight`,
        attentionBias ? `${q_}self_attn.o_proj.bias` : null,
        hidden,
        qDim,
      );
      x = g.op('Add', [x, attention]);
      const normed2 = await rmsNorm(g, load, x, `${q_}post_attention_layernorm.weight`, hidden, epsilon);
      const mlp = (part: string, out: number, input: string, inFeatures: number) =>
        linear(
          g,
          load,
          input,
          `${q_}mlp.${part}.weight`,
          mlpBias ? `${q_}mlp.${part}.bias` : null,
          out,
          inFeatures,
        );
      const gate = activation(g, await mlp('gate_proj', intermediate, normed2, hidden), act);
      const up = await mlp('up_proj', intermediate, normed2, hidden);
      x = g.op('Add', [x, await mlp('down_proj', hidden, g.op('Mul', [gate, up]), intermediate)]);
      hiddenStates.push(x);
    }
    // Hugging Face's output_hidden_states: hidden_states[L] is the final-normed last_hidden_state,
    // not the raw output of the last layer.
    const last = await rmsNorm(g, load, x, `${p}norm.weight`, hidden, epsilon);
    hiddenStates[layers] = last;
    return { inputs: [ids, mask], hiddenStates, lastHiddenState: last };
  }

  return { family: 'llama', numLayers: layers, hiddenSize: hidden, tensors, build };
}
