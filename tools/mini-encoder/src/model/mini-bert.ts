import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, createRng } from '@xling/core';
import type { MiniBertConfig } from './mini-bert-config.js';

/** Shapes of every parameter, by Hugging Face `BertForMaskedLM` name without the `bert.` prefix. */
export function parameterShapes(config: MiniBertConfig): Map<string, number[]> {
  const { vocabSize: v, hiddenSize: h, intermediateSize: f } = config;
  const shapes = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [v, h]],
    ['embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, h]],
    ['embeddings.token_type_embeddings.weight', [config.typeVocabSize, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ]);
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `encoder.layer.${i}`;
    for (const name of ['query', 'key', 'value']) {
      shapes.set(`${p}.attention.self.${name}.weight`, [h, h]);
      shapes.set(`${p}.attention.self.${name}.bias`, [h]);
    }
    shapes.set(`${p}.attention.output.dense.weight`, [h, h]);
    shapes.set(`${p}.attention.output.dense.bias`, [h]);
    shapes.set(`${p}.attention.output.LayerNorm.weight`, [h]);
    shapes.set(`${p}.attention.output.LayerNorm.bias`, [h]);
    shapes.set(`${p}.intermediate.dense.weight`, [f, h]);
    shapes.set(`${p}.intermediate.dense.bias`, [f]);
    shapes.set(`${p}.output.dense.weight`, [h, f]);
    shapes.set(`${p}.output.dense.bias`, [h]);
    shapes.set(`${p}.output.LayerNorm.weight`, [h]);
    shapes.set(`${p}.output.LayerNorm.bias`, [h]);
  }
  shapes.set('cls.predictions.transform.dense.weight', [h, h]);
  shapes.set('cls.predictions.transform.dense.bias', [h]);
  shapes.set('cls.predictions.transform.LayerNorm.weight', [h]);
  shapes.set('cls.predictions.transform.LayerNorm.bias', [h]);
  shapes.set('cls.predictions.bias', [v]);
  return shapes;
}

/**
 * `tf.gather` of rows with a scatter-add gradient: tfjs' own Gather gradient needs the
 * `UnsortedSegmentSum` kernel, which the wasm backend lacks; `ScatterNd` sums duplicate indices.
 */
function gatherRows(table: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  const gather = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const t = inputs[0] as tf.Tensor2D;
    const save = inputs[1] as tf.GradSaveFunc;
    // Saved tensors outlive the forward pass (the tape keeps them for gradFunc).
    save([indices]);
    return {
      value: tf.gather(t, indices),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.scatterND(tf.expandDims(saved[0], 1), dy as tf.Tensor, t.shape),
    };
  });
  return gather(table) as tf.Tensor2D;
}

/** Swaps the last two axes. */
function swapLast(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(t, perm);
}

/**
 * `a @ b` (batched over leading axes) whose gradients use explicit transposes and plain
 * products: the wasm backend's MatMul with `transposeA`/`transposeB` (what tfjs' MatMul gradient
 * uses) runs about 10x slower than the plain product here (measured: 0.56 vs 6 GFLOP/s).
 */
function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = inputs[0] as tf.Tensor;
    const y = inputs[1] as tf.Tensor;
    (inputs[2] as tf.GradSaveFunc)([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        tf.matMul(dy as tf.Tensor, swapLast(saved[1])),
        tf.matMul(swapLast(saved[0]), dy as tf.Tensor),
      ],
    };
  });
  return f(a, b);
}

/** Result of {@link MiniBert.mlmLoss}. */
export interface MlmLossResult {
  /** Mean cross-entropy over the masked positions (a scalar). */
  loss: tf.Scalar;
  /** Per-position predicted token ids (int32, shape `[m]`). */
  predictions: tf.Tensor1D;
}

/**
 * A post-norm BERT encoder with a masked-LM head (decoder tied to the word embeddings), in
 * TensorFlow.js. Parameters use the Hugging Face names and layouts (linear weights `[out, in]`),
 * so saving is a copy. Exact-erf GELU, no dropout.
 *
 * @see https://github.com/huggingface/transformers/blob/main/src/transformers/models/bert/modeling_bert.py
 */
export class MiniBert {
  readonly params: Map<string, tf.Variable>;

  private constructor(
    readonly config: MiniBertConfig,
    params: Map<string, tf.Variable>,
  ) {
    this.params = params;
  }

  /** BERT initialisation: weights N(0, 0.02) from a seeded generator, biases 0, LayerNorm 1/0. */
  static init(config: MiniBertConfig, seed: number): MiniBert {
    if (config.hiddenSize % config.numAttentionHeads !== 0) {
      throw new InvalidArgumentError(
        'config.hiddenSize',
        'MiniBert.init',
        `must be a multiple of numAttentionHeads (${config.numAttentionHeads}), but got ${config.hiddenSize}.`,
      );
    }
    const rng = createRng(seed);
    const params = new Map<string, tf.Variable>();
    for (const [name, shape] of parameterShapes(config)) {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      if (name.endsWith('LayerNorm.weight')) data.fill(1);
      else if (name.endsWith('.weight')) {
        const r = rng.fork(name);
        for (let i = 0; i < size; i++) data[i] = 0.02 * r.normal();
      }
      params.set(name, tf.variable(tf.tensor(data, shape, 'float32'), true));
    }
    return new MiniBert(config, params);
  }

  /** A model with the given parameter values (all of {@link parameterShapes} required). */
  static fromArrays(config: MiniBertConfig, arrays: ReadonlyMap<string, Float32Array>): MiniBert {
    const params = new Map<string, tf.Variable>();
    for (const [name, shape] of parameterShapes(config)) {
      const data = arrays.get(name);
      const size = shape.reduce((a, b) => a * b, 1);
      if (data === undefined || data.length !== size) {
        throw new InvalidArgumentError(
          'arrays',
          'MiniBert.fromArrays',
          `must hold '${name}' with ${size} values, but got ${data?.length ?? 'none'}.`,
        );
      }
      params.set(name, tf.variable(tf.tensor(data, shape, 'float32'), true));
    }
    return new MiniBert(config, params);
  }

  /** Parameter values as typed arrays (copies). */
  toArrays(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.params) out.set(name, v.dataSync() as Float32Array);
    return out;
  }

  /** Number of parameters. */
  get size(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  private p(name: string): tf.Tensor2D {
    return this.params.get(name)! as unknown as tf.Tensor2D;
  }

  private linear(x: tf.Tensor2D, prefix: string): tf.Tensor2D {
    return tf.add(
      matMul(x, tf.transpose(this.p(`${prefix}.weight`))),
      this.p(`${prefix}.bias`),
    ) as tf.Tensor2D;
  }

  private layerNorm(x: tf.Tensor2D, prefix: string): tf.Tensor2D {
    const mean = tf.mean(x, -1, true);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), -1, true);
    const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, this.config.layerNormEps)));
    return tf.add(tf.mul(normed, this.p(`${prefix}.weight`)), this.p(`${prefix}.bias`));
  }

  private static gelu(x: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  }

  /**
   * Hidden states of every layer (index 0 = embeddings), each `[batch * length, hidden]`
   * row-major by (sentence, position). `ids` int32 `[batch, length]`; `mask` float32
   * `[batch, length]`, 1 for tokens and 0 for padding (additive -10000 on masked keys, as BERT).
   */
  forward(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D[] {
    const [b, l] = ids.shape;
    const { hiddenSize: h, numAttentionHeads: nh } = this.config;
    const dh = h / nh;
    const flatIds = tf.reshape(ids, [b * l]);
    const words = gatherRows(this.p('embeddings.word_embeddings.weight'), flatIds as tf.Tensor1D);
    const positions = tf.tile(tf.slice(this.p('embeddings.position_embeddings.weight'), [0, 0], [l, h]), [
      b,
      1,
    ]);
    const types = tf.slice(this.p('embeddings.token_type_embeddings.weight'), [0, 0], [1, h]);
    let x = this.layerNorm(tf.add(tf.add(words, positions), types) as tf.Tensor2D, 'embeddings.LayerNorm');
    const states: tf.Tensor2D[] = [x];
    const additive = tf.reshape(tf.mul(tf.sub(1, mask), -10000), [b, 1, 1, l]);
    const heads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [b, l, nh, dh]), [0, 2, 1, 3]);
    for (let i = 0; i < this.config.numHiddenLayers; i++) {
      const p = `encoder.layer.${i}`;
      const q = heads(this.linear(x, `${p}.attention.self.query`));
      const k = heads(this.linear(x, `${p}.attention.self.key`));
      const v = heads(this.linear(x, `${p}.attention.self.value`));
      const scores = tf.add(tf.mul(matMul(q, swapLast(k)), 1 / Math.sqrt(dh)), additive);
      const context = matMul(tf.softmax(scores), v);
      const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [b * l, h]) as tf.Tensor2D;
      const attention = this.layerNorm(
        tf.add(this.linear(merged, `${p}.attention.output.dense`), x),
        `${p}.attention.output.LayerNorm`,
      );
      const inner = MiniBert.gelu(this.linear(attention, `${p}.intermediate.dense`));
      x = this.layerNorm(tf.add(this.linear(inner, `${p}.output.dense`), attention), `${p}.output.LayerNorm`);
      states.push(x);
    }
    return states;
  }

  /**
   * Masked-LM loss: mean cross-entropy of the tied-decoder logits at `positions` (int32 flat
   * indices `sentence * length + position`) against `labels` (int32 token ids).
   */
  mlmLoss(ids: tf.Tensor2D, mask: tf.Tensor2D, positions: tf.Tensor1D, labels: tf.Tensor1D): MlmLossResult {
    const states = this.forward(ids, mask);
    const last = states[states.length - 1];
    const picked = gatherRows(last, positions);
    const transformed = this.layerNorm(
      MiniBert.gelu(this.linear(picked, 'cls.predictions.transform.dense')),
      'cls.predictions.transform.LayerNorm',
    );
    const logits = tf.add(
      matMul(transformed, tf.transpose(this.p('embeddings.word_embeddings.weight'))),
      this.p('cls.predictions.bias'),
    );
    const logProbs = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(labels, this.config.vocabSize);
    const loss = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbs), -1))) as tf.Scalar;
    const predictions = tf.argMax(logits, -1) as tf.Tensor1D;
    return { loss, predictions };
  }
}
