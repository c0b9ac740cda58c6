import {
  InvalidArgumentError,
  type MatrixLike,
  NotFittedError,
  type OptionConstraints,
  ShapeMismatchError,
  asMatrix,
  checkOptions,
  createRng,
} from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { AdamState, cosineLearningRate } from '../internal/adam.js';
import { checkInstanceSet, sentenceRows } from '../internal/check-instance-set.js';
import { gatherRows, matmul } from '../internal/linalg.js';
import { accuracy } from '../internal/accuracy.js';
import { checkJsonKind } from '../internal/check-json-kind.js';

/** Options of {@link SourceClassifier}. */
export interface SourceClassifierOptions {
  /** Adam learning rate (cosine decay). @defaultValue 1e-3 */
  learningRate?: number;
  /** Adam L2 weight decay. @defaultValue 1e-6 */
  weightDecay?: number;
  /** Sentences per batch. @defaultValue 8 */
  batchSize?: number;
  /** Epochs (the best dev epoch is kept when dev is given). @defaultValue 20 */
  epochs?: number;
  /** Seed of the batch order. @defaultValue 0 */
  seed?: number;
}

/** JSON form of a fitted {@link SourceClassifier}. */
export interface SourceClassifierJson {
  kind: 'SourceClassifier';
  version: 1;
  options: SourceClassifierOptions;
  d: number;
  numLabels: number;
  weights: number[];
  bias: number[];
}

const constraints: OptionConstraints = {
  learningRate: { type: 'number', min: 0 },
  weightDecay: { type: 'number', min: 0 },
  batchSize: { type: 'integer', min: 1 },
  epochs: { type: 'integer', min: 0 },
  seed: { type: 'integer' },
};

/**
 * The "classifier trained on the source language applied unchanged to the target" baseline
 * (METHOD.md section 6): multinomial logistic regression softmax(x W + b) on the raw vectors,
 * trained by Adam (torch semantics, zero initialisation, cosine decay) with analytic gradients.
 *
 * @see sklearn.linear_model.LogisticRegression (multinomial, here without its L-BFGS solver)
 * @example new SourceClassifier().fit(enTrain, enDev).score(deTest)
 */
export class SourceClassifier {
  readonly options: Readonly<SourceClassifierOptions>;
  #state: { d: number; numLabels: number; weights: Float64Array; bias: Float64Array } | undefined;

  constructor(options: SourceClassifierOptions = {}) {
    checkOptions(options, constraints, 'SourceClassifier');
    this.options = { ...options };
  }

  #fitted() {
    if (this.#state === undefined) throw new NotFittedError('SourceClassifier');
    return this.#state;
  }

  /** W, flat `d × numLabels`. @throws XLING_NOT_FITTED */
  get weights(): Float64Array {
    return this.#fitted().weights.slice();
  }

  /** Fits on `train`, keeping the epoch with the best accuracy on `dev` (else the last). */
  fit(train: InstanceSet, dev?: InstanceSet): this {
    const fn = 'SourceClassifier.fit';
    const t = checkInstanceSet(train, 'train', fn);
    if (t.x.rows === 0)
      throw new InvalidArgumentError('train', fn, 'must hold at least one instance, but got 0.');
    const v = dev === undefined ? undefined : checkInstanceSet(dev, 'dev', fn, t.x.cols);
    const { learningRate = 1e-3, weightDecay = 1e-6, batchSize = 8, epochs = 20, seed = 0 } = this.options;
    const d = t.x.cols;
    const c = t.numLabels;
    const params = new Float64Array(d * c + c);
    // W (d × c) is the front of the parameter vector, the bias the rest.
    const w = { rows: d, cols: c, data: params.subarray(0, d * c) };
    const adam = new AdamState(params.length);
    const numSentences = t.sentenceOffsets.length - 1;
    const order = Array.from({ length: numSentences }, (_, i) => i);
    const batches = Math.ceil(numSentences / batchSize);
    const rng = createRng(seed);
    this.#state = { d, numLabels: c, weights: params.subarray(0, d * c), bias: params.subarray(d * c) };
    let best = params.slice();
    let bestAccuracy = v === undefined ? Number.NaN : this.score(dev as InstanceSet);
    let step = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const shuffled = rng.fork(`epoch-${epoch}`).shuffle(order);
      for (let b = 0; b < batches; b++) {
        const rows = sentenceRows(t.sentenceOffsets, shuffled.slice(b * batchSize, (b + 1) * batchSize));
        const lr = cosineLearningRate(learningRate, step++, epochs * batches);
        const n = rows.length;
        if (n === 0) continue;
        const xb = gatherRows(t.x, rows, Float64Array);
        const logits = matmul(xb, w).data;
        // G = (softmax - onehot) / n, the gradient of the mean cross-entropy w.r.t. the logits.
        const grad = new Float64Array(params.length);
        for (let i = 0; i < n; i++) {
          let max = Number.NEGATIVE_INFINITY;
          for (let j = 0; j < c; j++) {
            logits[i * c + j] += params[d * c + j];
            if (logits[i * c + j] > max) max = logits[i * c + j];
          }
          let sum = 0;
          for (let j = 0; j < c; j++) sum += Math.exp(logits[i * c + j] - max);
          for (let j = 0; j < c; j++) {
            const g = (Math.exp(logits[i * c + j] - max) / sum - (t.labels[rows[i]] === j ? 1 : 0)) / n;
            logits[i * c + j] = g;
            grad[d * c + j] += g;
          }
        }
        matmul(
          xb,
          { rows: n, cols: c, data: logits },
          { transpose: 'a', into: { ...w, data: grad.subarray(0, d * c) } },
        );
        adam.update(params, grad, lr, weightDecay);
      }
      if (v === undefined) best = params.slice();
      else {
        const accuracy = this.score(dev as InstanceSet);
        if (accuracy > bestAccuracy) {
          bestAccuracy = accuracy;
          best = params.slice();
        }
      }
    }
    this.#state = { d, numLabels: c, weights: best.slice(0, d * c), bias: best.slice(d * c) };
    return this;
  }

  /** Arg-max label id of each row. @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH */
  predict(x: MatrixLike): Int32Array {
    const s = this.#fitted();
    const m = asMatrix(x, 'x', 'SourceClassifier.predict');
    if (m.cols !== s.d)
      throw new ShapeMismatchError('x', 'SourceClassifier.predict', `${s.d} columns`, String(m.cols));
    const logits = matmul(m, { rows: s.d, cols: s.numLabels, data: s.weights }).data;
    const out = new Int32Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let best = 0;
      for (let j = 1; j < s.numLabels; j++) {
        if (logits[i * s.numLabels + j] + s.bias[j] > logits[i * s.numLabels + best] + s.bias[best]) best = j;
      }
      out[i] = best;
    }
    return out;
  }

  /** Accuracy on `set`. @throws XLING_NOT_FITTED */
  score(set: InstanceSet): number {
    const s = this.#fitted();
    const checked = checkInstanceSet(set, 'set', 'SourceClassifier.score', s.d);
    const predicted = this.predict(checked.x);
    return accuracy(predicted, checked.labels);
  }

  toJSON(): SourceClassifierJson {
    const s = this.#fitted();
    return {
      kind: 'SourceClassifier',
      version: 1,
      options: this.options,
      d: s.d,
      numLabels: s.numLabels,
      weights: Array.from(s.weights),
      bias: Array.from(s.bias),
    };
  }

  /** @throws XLING_INVALID_ARGUMENT for another kind */
  static fromJSON(json: unknown): SourceClassifier {
    const j = checkJsonKind<SourceClassifierJson>(json, 'SourceClassifier', [1], 'SourceClassifier.fromJSON');
    const out = new SourceClassifier(j.options);
    out.#state = {
      d: j.d,
      numLabels: j.numLabels,
      weights: Float64Array.from(j.weights),
      bias: Float64Array.from(j.bias),
    };
    return out;
  }
}
