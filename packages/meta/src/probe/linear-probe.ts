import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InvalidArgumentError,
  type Matrix,
  type MatrixLike,
  NotFittedError,
  type OptionConstraints,
  type ProgressCallback,
  ShapeMismatchError,
  asMatrix,
  checkOptions,
  createRng,
  readSafetensors,
  writeFileAtomic,
  writeSafetensors,
  XlingError,
} from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { AdamState, cosineLearningRate } from '../internal/adam.js';
import { checkInstanceSet, sentenceRows } from '../internal/check-instance-set.js';
import { addTransposeMatmulInto, argminRows, matmulInto, squaredDistances } from '../internal/linalg.js';
import { tfMatmul, transpose32 } from '../internal/meta-step.js';
import { prototypeLoss } from '../internal/prototype-loss.js';
import { isBackendReady } from '../tf/init-backend.js';
import { classMeans } from '../prototypes/class-means.js';
import type { PrototypeSet } from '../prototypes/prototype-set.js';

/** Options of {@link LinearProbe}; defaults are METHOD.md section 3's. */
export interface LinearProbeOptions {
  /**
   * Probe rank k (columns of W).
   * @defaultValue 32 for up to 17 labels (UPOS), 64 above (deprel)
   */
  k?: number;
  /** Adam learning rate. @defaultValue 1e-4 */
  learningRate?: number;
  /** Adam (L2, as torch.optim.Adam) weight decay. @defaultValue 1e-6 */
  weightDecay?: number;
  /** Sentences per batch. @defaultValue 8 */
  batchSize?: number;
  /** Training epochs (cosine decay over all of them, no warm-up). @defaultValue 20 */
  epochs?: number;
  /** Seed of the initialisation and batch order. @defaultValue 0 */
  seed?: number;
  /**
   * Where the batch products run: `'js'` (exact float64) or `'tf'` (tfjs wasm float32, ~10×
   * faster at d = 768; call `await initBackend()` first).
   * @defaultValue 'js'
   */
  engine?: 'js' | 'tf';
  /** Receives one `progress` event per epoch (loss, dev accuracy). */
  onProgress?: ProgressCallback;
}

/** One epoch of {@link LinearProbe} training. */
export interface LinearProbeEpoch {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Dev accuracy after the epoch (NaN without dev). */
  devAccuracy: number;
}

interface ProbeState {
  d: number;
  k: number;
  numLabels: number;
  weights: Float64Array;
  means: Float64Array;
  prototypeLabels: Int32Array;
  labelCounts: Int32Array;
  bestEpoch: number;
  history: LinearProbeEpoch[];
  fitSplit: string | undefined;
}

const constraints: OptionConstraints = {
  k: { type: 'integer', min: 1 },
  learningRate: { type: 'number', min: 0 },
  weightDecay: { type: 'number', min: 0 },
  batchSize: { type: 'integer', min: 1 },
  epochs: { type: 'integer', min: 0 },
  seed: { type: 'integer' },
  onProgress: { type: 'function' },
  engine: { type: 'enum', values: ['js', 'tf'] },
};

/** JSON form of a fitted {@link LinearProbe}. */
export interface LinearProbeJson {
  kind: 'LinearProbe';
  version: 1;
  options: Omit<LinearProbeOptions, 'onProgress'>;
  d: number;
  k: number;
  numLabels: number;
  weights: number[];
  classMeans: number[];
  prototypeLabels: number[];
  labelCounts: number[];
  bestEpoch: number;
  history: LinearProbeEpoch[];
  fitSplit: string | null;
}

/**
 * The per-language structural-concept probe of METHOD.md section 3: a linear map W (d × k, no
 * bias), prototypes p_c = W^T mu_c from the class means mu_c of the raw training vectors, and
 * distance d(x, c) = ||W^T x - p_c||^2. Trained with the cross-entropy of softmax_c(-d(x, c))
 * by Adam (torch semantics) with cosine decay, keeping the epoch with the best dev accuracy.
 * Classifies by nearest prototype. Gradients are analytic (float64), checked against finite
 * differences in the tests.
 *
 * @see Xu et al. 2023 (arXiv 2310.12794), section 3; Snell et al. 2017 (prototypical networks)
 * @example
 * const probe = new LinearProbe({ k: 32 }).fit(train, dev);
 * probe.score(test); // word-level accuracy
 */
export class LinearProbe {
  readonly options: Readonly<LinearProbeOptions>;
  #state: ProbeState | undefined;

  constructor(options: LinearProbeOptions = {}) {
    checkOptions(options, constraints, 'LinearProbe');
    this.options = { ...options };
  }

  #fitted(): ProbeState {
    if (this.#state === undefined) throw new NotFittedError('LinearProbe');
    return this.#state;
  }

  /** W, shape `d × k`. @throws XLING_NOT_FITTED */
  get weights(): Matrix<Float64Array> {
    const s = this.#fitted();
    return { rows: s.d, cols: s.k, data: s.weights.slice() };
  }

  /** Prototypes p_c = W^T mu_c, one row per entry of {@link prototypeLabels}: shape `m × k`. @throws XLING_NOT_FITTED */
  get prototypes(): Matrix<Float64Array> {
    const s = this.#fitted();
    const m = s.prototypeLabels.length;
    return {
      rows: m,
      cols: s.k,
      data: matmulInto(s.means, s.weights, new Float64Array(m * s.k), m, s.d, s.k),
    };
  }

  /** Label ids that have a prototype (present in the training set), ascending. @throws XLING_NOT_FITTED */
  get prototypeLabels(): Int32Array {
    return this.#fitted().prototypeLabels.slice();
  }

  /** Class means mu_c of the raw training vectors, rows aligned with {@link prototypeLabels}. @throws XLING_NOT_FITTED */
  get classMeans(): Matrix<Float64Array> {
    const s = this.#fitted();
    return { rows: s.prototypeLabels.length, cols: s.d, data: s.means.slice() };
  }

  /** Training instances per label id (length `numLabels`). @throws XLING_NOT_FITTED */
  get labelCounts(): Int32Array {
    return this.#fitted().labelCounts.slice();
  }

  /** Prototypes, their labels and the training label counts, as meta-learners take them. @throws XLING_NOT_FITTED */
  get prototypeSet(): PrototypeSet {
    const s = this.#fitted();
    return {
      prototypes: this.prototypes,
      labels: s.prototypeLabels.slice(),
      counts: s.labelCounts.slice(),
      numLabels: s.numLabels,
      ...(s.fitSplit !== undefined ? { fitSplit: s.fitSplit } : {}),
    };
  }

  /** Per-epoch loss and dev accuracy. @throws XLING_NOT_FITTED */
  get history(): LinearProbeEpoch[] {
    return this.#fitted().history.map((e) => ({ ...e }));
  }

  /** The kept epoch (1-based; 0 = the initialisation). @throws XLING_NOT_FITTED */
  get bestEpoch(): number {
    return this.#fitted().bestEpoch;
  }

  /** The split the probe was fitted on, as declared by the training set (`dev` where no train split). @throws XLING_NOT_FITTED */
  get fitSplit(): string | undefined {
    return this.#fitted().fitSplit;
  }

  /**
   * Fits W on `train`, keeping the epoch with the best accuracy on `dev` (the last epoch when
   * `dev` is omitted).
   * @throws XLING_INVALID_ARGUMENT for malformed sets; XLING_SHAPE_MISMATCH when dev's width differs
   */
  fit(train: InstanceSet, dev?: InstanceSet): this {
    const fn = 'LinearProbe.fit';
    const t = checkInstanceSet(train, 'train', fn);
    if (t.x.rows === 0)
      throw new InvalidArgumentError('train', fn, 'must hold at least one instance, but got 0.');
    const v = dev === undefined ? undefined : checkInstanceSet(dev, 'dev', fn, t.x.cols);
    const {
      learningRate = 1e-4,
      weightDecay = 1e-6,
      batchSize = 8,
      epochs = 20,
      seed = 0,
      onProgress,
      engine = 'js',
    } = this.options;
    if (engine === 'tf' && !isBackendReady()) {
      throw new XlingError(
        'XLING_BACKEND_UNAVAILABLE',
        "LinearProbe with engine 'tf' needs `await initBackend()` before fit.",
      );
    }
    const d = t.x.cols;
    const numLabels = t.numLabels;
    const k = this.options.k ?? (numLabels > 17 ? 64 : 32);
    const { means, labels: prototypeLabels, counts } = classMeans(t.x, t.labels, numLabels);
    const m = prototypeLabels.length;
    const rowOf = new Int32Array(numLabels).fill(-1);
    prototypeLabels.forEach((c, i) => {
      rowOf[c] = i;
    });
    const rng = createRng(seed);
    const init = rng.fork('init');
    // Xavier-normal initialisation of W (fan_in d, fan_out k).
    const std = Math.sqrt(2 / (d + k));
    const weights = new Float64Array(d * k);
    for (let i = 0; i < weights.length; i++) weights[i] = init.normal() * std;
    const adam = new AdamState(weights.length);
    const numSentences = t.sentenceOffsets.length - 1;
    const order = Array.from({ length: numSentences }, (_, i) => i);
    const batchesPerEpoch = Math.ceil(numSentences / batchSize);
    const totalSteps = epochs * batchesPerEpoch;
    const history: LinearProbeEpoch[] = [];
    const accuracyOf = (w: Float64Array): number =>
      v === undefined
        ? Number.NaN
        : probeAccuracy(v.x.data, v.labels, v.x.rows, w, means, prototypeLabels, rowOf, d, k);
    let best = weights.slice();
    let bestAccuracy = accuracyOf(weights);
    let bestEpoch = 0;
    let step = 0;
    const grad = new Float64Array(d * k);
    onProgress?.({ status: 'start', task: 'probe', total: epochs, unit: 'epoch' });
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const shuffled = rng.fork(`epoch-${epoch}`).shuffle(order);
      let lossSum = 0;
      let lossBatches = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const rows = sentenceRows(t.sentenceOffsets, shuffled.slice(b * batchSize, (b + 1) * batchSize));
        const lr = cosineLearningRate(learningRate, step, totalSteps);
        step++;
        if (rows.length === 0) continue;
        const n = rows.length;
        const xb = new Float64Array(n * d);
        const target = new Int32Array(n);
        for (let r = 0; r < n; r++) {
          xb.set(t.x.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
          target[r] = rowOf[t.labels[rows[r]]];
        }
        const p = matmulInto(means, weights, new Float64Array(m * k), m, d, k);
        let res: ReturnType<typeof prototypeLoss>;
        if (engine === 'tf') {
          res = prototypeLoss(tfMatmul(xb, weights, n, d, k), p, target, n, m, k);
          grad.set(tfMatmul(transpose32(xb, n, d), res.dz, d, n, k));
        } else {
          res = prototypeLoss(matmulInto(xb, weights, new Float64Array(n * k), n, d, k), p, target, n, m, k);
          grad.fill(0);
          addTransposeMatmulInto(xb, res.dz, grad, n, d, k);
        }
        addTransposeMatmulInto(means, res.dp, grad, m, d, k);
        adam.update(weights, grad, lr, weightDecay);
        lossSum += res.loss;
        lossBatches++;
      }
      const devAccuracy = accuracyOf(weights);
      const loss = lossBatches > 0 ? lossSum / lossBatches : Number.NaN;
      history.push({ epoch, loss, devAccuracy });
      if (v === undefined || devAccuracy > bestAccuracy) {
        best = weights.slice();
        bestAccuracy = devAccuracy;
        bestEpoch = epoch;
      }
      onProgress?.({
        status: 'progress',
        task: 'probe',
        done: epoch,
        total: epochs,
        unit: 'epoch',
        metrics: { loss, devAccuracy },
      });
    }
    onProgress?.({ status: 'end', task: 'probe', done: epochs, total: epochs, unit: 'epoch' });
    this.#state = {
      d,
      k,
      numLabels,
      weights: best,
      means,
      prototypeLabels,
      labelCounts: counts,
      bestEpoch,
      history,
      fitSplit: train.fitSplit,
    };
    return this;
  }

  /** Projects rows: W^T x for each row, shape `n × k`. @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH */
  transform(x: MatrixLike): Matrix<Float64Array> {
    const s = this.#fitted();
    const m = asMatrix(x, 'x', 'LinearProbe.transform');
    if (m.cols !== s.d)
      throw new ShapeMismatchError('x', 'LinearProbe.transform', `${s.d} columns`, String(m.cols));
    return {
      rows: m.rows,
      cols: s.k,
      data: matmulInto(m.data, s.weights, new Float64Array(m.rows * s.k), m.rows, s.d, s.k),
    };
  }

  /** Nearest-prototype label id of each row. @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH */
  predict(x: MatrixLike): Int32Array {
    const s = this.#fitted();
    const z = this.transform(x);
    const p = this.prototypes;
    const nearest = argminRows(squaredDistances(z.data, p.data, z.rows, p.rows, s.k), z.rows, p.rows);
    return nearest.map((i) => s.prototypeLabels[i]);
  }

  /** Word-level accuracy on `set`; instances whose label has no prototype count as errors. */
  score(set: InstanceSet): number {
    const s = this.#fitted();
    const checked = checkInstanceSet(set, 'set', 'LinearProbe.score', s.d);
    const predicted = this.predict(checked.x);
    let correct = 0;
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === checked.labels[i]) correct++;
    return predicted.length === 0 ? Number.NaN : correct / predicted.length;
  }

  /** A tagged JSON object that {@link LinearProbe.fromJSON} restores. @throws XLING_NOT_FITTED */
  toJSON(): LinearProbeJson {
    const s = this.#fitted();
    const { onProgress: _omit, ...options } = this.options;
    return {
      kind: 'LinearProbe',
      version: 1,
      options,
      d: s.d,
      k: s.k,
      numLabels: s.numLabels,
      weights: Array.from(s.weights),
      classMeans: Array.from(s.means),
      prototypeLabels: Array.from(s.prototypeLabels),
      labelCounts: Array.from(s.labelCounts),
      bestEpoch: s.bestEpoch,
      history: s.history,
      fitSplit: s.fitSplit ?? null,
    };
  }

  /** Restores a probe from {@link LinearProbe.toJSON}'s output. @throws XLING_INVALID_ARGUMENT for another kind or version */
  static fromJSON(json: unknown): LinearProbe {
    const j = json as LinearProbeJson;
    if (typeof j !== 'object' || j === null || j.kind !== 'LinearProbe' || j.version !== 1) {
      throw new InvalidArgumentError(
        'json',
        'LinearProbe.fromJSON',
        `must be a LinearProbe version 1 object, but got kind ${String((j as { kind?: unknown })?.kind)}.`,
      );
    }
    const probe = new LinearProbe(j.options);
    probe.#state = {
      d: j.d,
      k: j.k,
      numLabels: j.numLabels,
      weights: Float64Array.from(j.weights),
      means: Float64Array.from(j.classMeans),
      prototypeLabels: Int32Array.from(j.prototypeLabels),
      labelCounts: Int32Array.from(j.labelCounts),
      bestEpoch: j.bestEpoch,
      history: j.history.map((e) => ({ ...e, devAccuracy: e.devAccuracy ?? Number.NaN })),
      fitSplit: j.fitSplit ?? undefined,
    };
    return probe;
  }

  /**
   * Saves to a folder: `config.json` (options, shapes, labels, history) and `model.safetensors`
   * (float64 `weights` d × k and `class_means` m × d). Both written atomically.
   */
  async save(folder: string): Promise<void> {
    const s = this.#fitted();
    const { weights, classMeans: means, ...config } = this.toJSON();
    await mkdir(folder, { recursive: true });
    await writeSafetensors(join(folder, 'model.safetensors'), {
      weights: { dtype: 'F64', shape: [s.d, s.k], data: s.weights },
      class_means: { dtype: 'F64', shape: [s.prototypeLabels.length, s.d], data: s.means },
    });
    await writeFileAtomic(join(folder, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }

  /** Loads a probe written by {@link LinearProbe.save}. @throws XLING_FILE_FORMAT for a malformed file */
  static async load(folder: string): Promise<LinearProbe> {
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8'));
    const { tensors } = await readSafetensors(join(folder, 'model.safetensors'));
    return LinearProbe.fromJSON({
      ...config,
      weights: Array.from(tensors.weights.data as Float64Array),
      classMeans: Array.from(tensors.class_means.data as Float64Array),
    });
  }
}

function probeAccuracy(
  x: ArrayLike<number>,
  labels: Int32Array,
  n: number,
  w: Float64Array,
  means: Float64Array,
  prototypeLabels: Int32Array,
  rowOf: Int32Array,
  d: number,
  k: number,
): number {
  if (n === 0) return Number.NaN;
  const m = prototypeLabels.length;
  const z = matmulInto(x, w, new Float64Array(n * k), n, d, k);
  const p = matmulInto(means, w, new Float64Array(m * k), m, d, k);
  const nearest = argminRows(squaredDistances(z, p, n, m, k), n, m);
  let correct = 0;
  for (let i = 0; i < n; i++) if (nearest[i] === rowOf[labels[i]]) correct++;
  return correct / n;
}
