import {
  type ConfigField,
  InvalidArgumentError,
  type Matrix,
  type MatrixLike,
  NotFittedError,
  type OptionConstraints,
  type ProgressCallback,
  ShapeMismatchError,
  asMatrix,
  checkOptions,
  type Rng,
  createRng,
  loadEstimatorFiles,
  saveEstimatorFiles,
} from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { checkInstanceSet } from '../internal/check-instance-set.js';
import { type Matrix64, argminRows, matmul, squaredDistances } from '../internal/linalg.js';
import { classMeans } from '../prototypes/class-means.js';
import type { PrototypeSet } from '../prototypes/prototype-set.js';
import { classMeansInit } from './class-means-init.js';
import { createProbeKernel } from './probe-kernels.js';
import { type LinearProbeEpoch, type ProbeSchedule, trainProbe } from './train-probe.js';
import { accuracy } from '../internal/accuracy.js';
import { checkJsonKind } from '../internal/check-json-kind.js';

/** Options of {@link LinearProbe}. */
export interface LinearProbeOptions {
  /**
   * Probe rank k (columns of W).
   * @defaultValue 32 for up to 17 labels (UPOS), 64 above (deprel)
   */
  k?: number;
  /**
   * Initialisation of W. `class-means` starts where the probe is the nearest class mean
   * classifier (exactly so with uniform priors): an orthonormal basis of the class means' span,
   * scaled to the temperature of least fitting loss. That starting point competes with the
   * trained epochs on dev (as epoch 0): training starts from the baseline instead of from noise,
   * which matters on small fitting sets. `reference` draws uniformly from [-0.05, 0.05] like the reference code's `LinearProj`;
   * `xavier` is Xavier-normal (fan-in d, fan-out k). Neither is ever kept.
   * @defaultValue 'class-means' (`converge`), 'reference' (`fixed`, for replication)
   */
  init?: 'reference' | 'xavier' | 'class-means';
  /**
   * `converge`: constant learning rate, stop once the epoch's training loss has not improved by a
   * relative `tolerance` for `patience` epochs (at most `epochs`). `fixed`: the reference's
   * schedule, exactly `epochs` epochs with cosine decay and no warm-up (for replication).
   * @defaultValue 'converge'
   */
  schedule?: 'converge' | 'fixed';
  /** Most epochs (`converge`) or the exact count (`fixed`). @defaultValue 200 (`converge`), 20 (`fixed`) */
  epochs?: number;
  /** Adam learning rate. @defaultValue 3e-3 (`converge`), 1e-4 (`fixed`, the reference's) */
  learningRate?: number;
  /** Adam (L2, as torch.optim.Adam) weight decay. @defaultValue 1e-6 */
  weightDecay?: number;
  /**
   * Sentences per batch (with `converge`, smaller where needed to give every epoch at least 8
   * steps). @defaultValue 32 (`converge`), 8 (`fixed`, the reference's)
   */
  batchSize?: number;
  /** Improvement of the epoch's mean training loss (nats) that resets the patience counter. @defaultValue 1e-3 */
  tolerance?: number;
  /** Epochs without such an improvement before `converge` stops. @defaultValue 5 */
  patience?: number;
  /**
   * Class priors in the classifier: `empirical` adds log(n_c / n) of the fitting set to every
   * logit -d(x, c), in training and prediction (the Bayes rule for classes of unequal frequency,
   * which a bias-free prototype classifier cannot learn); `uniform` is the reference's plain
   * nearest prototype. The prototypes themselves do not change.
   * @defaultValue 'empirical'
   */
  classPrior?: 'empirical' | 'uniform';
  /** Seed of the initialisation and batch order. @defaultValue 0 */
  seed?: number;
  /**
   * Where training runs: `'ort'` (float32 onnxruntime graphs, one per step) or `'js'` (exact
   * float64 JavaScript, the reference the tests compare to).
   * @defaultValue 'ort'
   */
  engine?: 'ort' | 'js';
  /** onnxruntime intra-op threads (`'ort'` only). @defaultValue 1 */
  threads?: number;
  /** Receives one `progress` event per epoch (loss, dev accuracy). */
  onProgress?: ProgressCallback;
  /** Stops training between epochs (throws XLING_ABORTED). */
  signal?: AbortSignal;
}

/** How a fit went: what every report shows beside a probe's accuracy. */
export interface LinearProbeDiagnostics {
  /** Epochs trained. */
  epochsRun: number;
  /** The kept epoch (1-based; 0 when the `class-means` initialisation scored best on dev). */
  bestEpoch: number;
  /** Whether the training loss had stopped improving (the stopping rule fired). */
  converged: boolean;
  /** Cross-entropy on the whole fitting set with the kept weights. */
  fitLoss: number;
  /** The loss of a uniform guess over the prototypes, ln(m): a fitted probe should be well below it. */
  uniformLoss: number;
  /** Accuracy on the fitting set with the kept weights. */
  fitAccuracy: number;
  /** Accuracy on dev with the kept weights (NaN without dev). */
  devAccuracy: number;
}

export type { LinearProbeEpoch } from './train-probe.js';

interface ProbeState {
  d: number;
  k: number;
  numLabels: number;
  weights: Float64Array;
  means: Float64Array;
  prototypeLabels: Int32Array;
  labelCounts: Int32Array;
  history: LinearProbeEpoch[];
  diagnostics: LinearProbeDiagnostics;
  fitSplit: string | undefined;
}

const constraints: OptionConstraints = {
  k: { type: 'integer', min: 1 },
  init: { type: 'enum', values: ['reference', 'xavier', 'class-means'] },
  classPrior: { type: 'enum', values: ['empirical', 'uniform'] },
  schedule: { type: 'enum', values: ['converge', 'fixed'] },
  epochs: { type: 'integer', min: 1 },
  learningRate: { type: 'number', min: 0 },
  weightDecay: { type: 'number', min: 0 },
  batchSize: { type: 'integer', min: 1 },
  tolerance: { type: 'number', min: 0 },
  patience: { type: 'integer', min: 1 },
  seed: { type: 'integer' },
  engine: { type: 'enum', values: ['ort', 'js'] },
  threads: { type: 'integer', min: 1 },
  onProgress: { type: 'function' },
  signal: { type: 'object', methods: [] },
};

/** JSON form of a fitted {@link LinearProbe}. */
export interface LinearProbeJson {
  kind: 'LinearProbe';
  version: 2;
  options: Omit<LinearProbeOptions, 'onProgress' | 'signal'>;
  d: number;
  k: number;
  numLabels: number;
  weights: number[];
  classMeans: number[];
  prototypeLabels: number[];
  labelCounts: number[];
  history: LinearProbeEpoch[];
  diagnostics: LinearProbeDiagnostics;
  fitSplit: string | null;
}

/**
 * The per-language structural-concept probe of METHOD.md section 3: a linear map W (d × k, no
 * bias), prototypes p_c = W^T mu_c from the class means mu_c of the raw training vectors, and
 * distance d(x, c) = ||W^T x - p_c||^2. Trained with the cross-entropy of softmax_c(-d(x, c))
 * by Adam (torch semantics) until the training loss stops improving (or on the reference's fixed
 * schedule), keeping the epoch with the best dev accuracy (the `class-means` initialisation
 * competing as epoch 0); {@link diagnostics} says how the fit went. Classifies by nearest prototype. Gradients are analytic, checked against finite
 * differences in the tests; the `ort` engine runs them in float32 on onnxruntime.
 *
 * @see Xu et al. 2023 (arXiv 2310.12794), section 3; Snell et al. 2017 (prototypical networks)
 * @example
 * const probe = await new LinearProbe({ k: 32 }).fit(train, dev);
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
    return matmul(meansMatrix(s), weightMatrix(s));
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

  /**
   * The kept epoch (1-based; 0 when the `class-means` initialisation scored best on dev).
   * @throws XLING_NOT_FITTED
   */
  get bestEpoch(): number {
    return this.#fitted().diagnostics.bestEpoch;
  }

  /** Epochs run, convergence, final fitting loss and accuracies. @throws XLING_NOT_FITTED */
  get diagnostics(): LinearProbeDiagnostics {
    return { ...this.#fitted().diagnostics };
  }

  /** The split the probe was fitted on, as declared by the training set (`dev` where no train split). @throws XLING_NOT_FITTED */
  get fitSplit(): string | undefined {
    return this.#fitted().fitSplit;
  }

  /**
   * Fits W on `train`, keeping the epoch with the best accuracy on `dev` (the `class-means`
   * initialisation competing as epoch 0; the last epoch when `dev` is omitted). Async because the
   * default engine runs on onnxruntime.
   * @throws XLING_INVALID_ARGUMENT for malformed sets; XLING_SHAPE_MISMATCH when dev's width
   * differs; XLING_BACKEND_UNAVAILABLE when onnxruntime cannot start; XLING_ABORTED from `signal`
   */
  async fit(train: InstanceSet, dev?: InstanceSet): Promise<this> {
    const fn = 'LinearProbe.fit';
    const t = checkInstanceSet(train, 'train', fn);
    if (t.x.rows === 0)
      throw new InvalidArgumentError('train', fn, 'must hold at least one instance, but got 0.');
    const v = dev === undefined ? undefined : checkInstanceSet(dev, 'dev', fn, t.x.cols);
    const { seed = 0, engine = 'ort', threads = 1, onProgress, signal } = this.options;
    const init = this.options.init ?? (this.options.schedule === 'fixed' ? 'reference' : 'class-means');
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
    const bias = logPriors(this.options.classPrior ?? 'empirical', prototypeLabels, counts);
    const target = t.labels.map((l) => rowOf[l]);
    const meanMatrix = { rows: m, cols: d, data: means };
    const kernel = createProbeKernel(engine, { x: t.x, target, means: meanMatrix, bias, k }, threads);
    const evaluate = async (set: typeof t, w: Float64Array) =>
      logitsAccuracy(await kernel.logits(set.x, w), set.labels, rowOf, m);
    const trained = await trainProbe(
      kernel,
      init === 'class-means'
        ? classMeansInit(t.x, target, meanMatrix, bias, k, rng.fork('init'))
        : initialWeights(init, d, k, rng.fork('init')),
      {
        sentenceOffsets: t.sentenceOffsets,
        initIsCandidate: init === 'class-means',
        ...(v !== undefined && v.x.rows > 0
          ? { devAccuracy: (w) => evaluate(v, w).then((a) => a.accuracy) }
          : {}),
      },
      resolveSchedule(this.options),
      rng,
      { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) },
    );
    const fit = await evaluate(t, trained.weights);
    this.#state = {
      d,
      k,
      numLabels,
      weights: trained.weights,
      means,
      prototypeLabels,
      labelCounts: counts,
      history: trained.history,
      diagnostics: {
        epochsRun: trained.epochsRun,
        bestEpoch: trained.bestEpoch,
        converged: trained.converged,
        fitLoss: fit.loss,
        uniformLoss: Math.log(m),
        fitAccuracy: fit.accuracy,
        devAccuracy: trained.bestDevAccuracy,
      },
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
    return matmul(m, weightMatrix(s));
  }

  /**
   * Nearest-prototype label id of each row, with the probe's class priors (`options.classPrior`
   * overrides them: `'uniform'` is the plain nearest prototype, e.g. for a probe applied to
   * another language, whose class frequencies differ).
   * @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH
   */
  predict(x: MatrixLike, options: { classPrior?: 'empirical' | 'uniform' } = {}): Int32Array {
    const s = this.#fitted();
    const z = this.transform(x);
    const p = this.prototypes;
    const prior = options.classPrior ?? this.options.classPrior ?? 'empirical';
    const bias = logPriors(prior, s.prototypeLabels, s.labelCounts);
    const distances = squaredDistances(z, p);
    const scores = { ...distances, data: distances.data.map((v, i) => v - bias[i % p.rows]) };
    return argminRows(scores).map((i) => s.prototypeLabels[i]);
  }

  /** Word-level accuracy on `set`; instances whose label has no prototype count as errors. */
  score(set: InstanceSet, options: { classPrior?: 'empirical' | 'uniform' } = {}): number {
    const s = this.#fitted();
    const checked = checkInstanceSet(set, 'set', 'LinearProbe.score', s.d);
    const predicted = this.predict(checked.x, options);
    return accuracy(predicted, checked.labels);
  }

  /** A tagged JSON object that {@link LinearProbe.fromJSON} restores. @throws XLING_NOT_FITTED */
  toJSON(): LinearProbeJson {
    const s = this.#fitted();
    const { onProgress: _progress, signal: _signal, ...options } = this.options;
    return {
      kind: 'LinearProbe',
      version: 2,
      options,
      d: s.d,
      k: s.k,
      numLabels: s.numLabels,
      weights: Array.from(s.weights),
      classMeans: Array.from(s.means),
      prototypeLabels: Array.from(s.prototypeLabels),
      labelCounts: Array.from(s.labelCounts),
      history: s.history,
      diagnostics: s.diagnostics,
      fitSplit: s.fitSplit ?? null,
    };
  }

  /**
   * Restores a probe from {@link LinearProbe.toJSON}'s output (version 1, written before
   * diagnostics existed, loads with what it recorded and NaN for the rest).
   * @throws XLING_INVALID_ARGUMENT for another kind or version
   */
  static fromJSON(json: unknown): LinearProbe {
    const j = checkJsonKind<Omit<LinearProbeJson, 'version'> & { version: number; bestEpoch?: number }>(
      json,
      'LinearProbe',
      [1, 2],
      'LinearProbe.fromJSON',
    );
    const { engine: _engine, ...options } = j.options as LinearProbeOptions & { engine?: string };
    // Version 1 probes were trained and classified without class priors.
    if (j.version === 1) options.classPrior = 'uniform';
    const probe = new LinearProbe(options);
    const history = j.history.map((e) => ({ ...e, devAccuracy: e.devAccuracy ?? Number.NaN }));
    const nan = (x: number | null | undefined) => x ?? Number.NaN;
    const saved = j.diagnostics;
    probe.#state = {
      d: j.d,
      k: j.k,
      numLabels: j.numLabels,
      weights: Float64Array.from(j.weights),
      means: Float64Array.from(j.classMeans),
      prototypeLabels: Int32Array.from(j.prototypeLabels),
      labelCounts: Int32Array.from(j.labelCounts),
      history,
      diagnostics: {
        epochsRun: saved?.epochsRun ?? history.length,
        bestEpoch: saved?.bestEpoch ?? j.bestEpoch ?? history.length,
        converged: saved?.converged ?? false,
        fitLoss: nan(saved?.fitLoss),
        uniformLoss: Math.log(j.prototypeLabels.length),
        fitAccuracy: nan(saved?.fitAccuracy),
        devAccuracy: nan(saved?.devAccuracy),
      },
      fitSplit: j.fitSplit ?? undefined,
    };
    return probe;
  }

  /**
   * Saves to a folder: `config.json` (options, shapes, labels, history, diagnostics) and
   * `model.safetensors` (float64 `weights` d × k and `class_means` m × d), each atomically.
   * @throws XLING_NOT_FITTED; XLING_FILE_SYSTEM when the folder cannot be written
   */
  async save(folder: string): Promise<void> {
    const s = this.#fitted();
    const { weights: _weights, classMeans: _means, ...config } = this.toJSON();
    await saveEstimatorFiles(folder, config, {
      weights: { dtype: 'F64', shape: [s.d, s.k], data: s.weights },
      class_means: { dtype: 'F64', shape: [s.prototypeLabels.length, s.d], data: s.means },
    });
  }

  /**
   * Loads a probe written by {@link LinearProbe.save} (version 1 folders too).
   * @throws XLING_FILE_FORMAT naming the file for a truncated or incomplete folder, a missing
   * field, or a tensor of the wrong shape; XLING_FILE_SYSTEM when it cannot be read
   */
  static load(folder: string): Promise<LinearProbe> {
    return loadEstimatorFiles(folder, {
      kind: 'LinearProbe',
      versions: [1, 2],
      fields: CONFIG_FIELDS,
      check: (c: LinearProbeConfig) => {
        if (c.version > 1 && c.diagnostics === undefined) return "field 'diagnostics' is missing";
        if (c.labelCounts.length !== c.numLabels)
          return `field 'labelCounts' has ${c.labelCounts.length} entries, but 'numLabels' is ${c.numLabels}`;
        return undefined;
      },
      tensors: (c) => [
        { name: 'weights', dtype: 'F64', shape: [c.d, c.k] },
        { name: 'class_means', dtype: 'F64', shape: [c.prototypeLabels.length, c.d] },
      ],
      // fromJSON copies the typed arrays as they are: no detour through number arrays.
      restore: (c, tensors) =>
        LinearProbe.fromJSON({ ...c, weights: tensors.weights.data, classMeans: tensors.class_means.data }),
    });
  }
}

/** What a probe's `config.json` holds: its JSON form without the number arrays (any version). */
type LinearProbeConfig = Omit<LinearProbeJson, 'version' | 'weights' | 'classMeans' | 'diagnostics'> & {
  version: number;
  diagnostics?: LinearProbeDiagnostics;
  bestEpoch?: number;
};

// JSON writes NaN (no dev set, a diverged loss) as null; version 1 files lack diagnostics.
const CONFIG_FIELDS: readonly ConfigField[] = [
  { name: 'options', type: 'object' },
  { name: 'd', type: 'integer' },
  { name: 'k', type: 'integer' },
  { name: 'numLabels', type: 'integer' },
  { name: 'prototypeLabels', type: 'integer[]' },
  { name: 'labelCounts', type: 'integer[]' },
  {
    name: 'history',
    type: 'array',
    fields: [
      { name: 'epoch', type: 'integer' },
      { name: 'loss', type: 'number', nullable: true },
      { name: 'devAccuracy', type: 'number', nullable: true, optional: true },
    ],
  },
  {
    name: 'diagnostics',
    type: 'object',
    optional: true,
    fields: [
      { name: 'epochsRun', type: 'integer' },
      { name: 'bestEpoch', type: 'integer' },
      { name: 'converged', type: 'boolean' },
      ...['fitLoss', 'uniformLoss', 'fitAccuracy', 'devAccuracy'].map((name) => ({
        name,
        type: 'number' as const,
        nullable: true,
      })),
    ],
  },
  { name: 'bestEpoch', type: 'integer', optional: true },
  { name: 'fitSplit', type: 'string', nullable: true, optional: true },
];

/** W as a matrix, `d × k` (a view of the state). */
function weightMatrix(s: ProbeState): Matrix64 {
  return { rows: s.d, cols: s.k, data: s.weights };
}

/** The class means as a matrix, `m × d` (a view of the state). */
function meansMatrix(s: ProbeState): Matrix64 {
  return { rows: s.prototypeLabels.length, cols: s.d, data: s.means };
}

/** Defaults of the two schedules (see {@link LinearProbeOptions}). */
function resolveSchedule(options: LinearProbeOptions): ProbeSchedule {
  const schedule = options.schedule ?? 'converge';
  const fixed = schedule === 'fixed';
  return {
    schedule,
    epochs: options.epochs ?? (fixed ? 20 : 200),
    learningRate: options.learningRate ?? (fixed ? 1e-4 : 3e-3),
    weightDecay: options.weightDecay ?? 1e-6,
    batchSize: options.batchSize ?? (fixed ? 8 : 32),
    tolerance: options.tolerance ?? 1e-3,
    patience: options.patience ?? 5,
  };
}

/** The logits' constant term: log(n_c / n) per prototype row (`empirical`), or zeros. */
function logPriors(prior: 'empirical' | 'uniform', labels: Int32Array, counts: Int32Array): Float64Array {
  const bias = new Float64Array(labels.length);
  if (prior === 'uniform') return bias;
  let total = 0;
  for (const l of labels) total += counts[l];
  labels.forEach((l, i) => {
    bias[i] = Math.log(counts[l] / total);
  });
  return bias;
}

/** W (d × k): uniform in [-0.05, 0.05] (the reference's `LinearProj`) or Xavier-normal. */
function initialWeights(init: 'reference' | 'xavier', d: number, k: number, rng: Rng): Float64Array {
  const weights = new Float64Array(d * k);
  const std = Math.sqrt(2 / (d + k));
  for (let i = 0; i < weights.length; i++)
    weights[i] = init === 'xavier' ? rng.normal() * std : (rng.next() - 0.5) * 0.1;
  return weights;
}

/** Nearest-prototype accuracy and mean cross-entropy from logits (n × m, -squared distances). */
function logitsAccuracy(
  logits: ArrayLike<number>,
  labels: Int32Array,
  rowOf: Int32Array,
  m: number,
): { accuracy: number; loss: number } {
  const n = labels.length;
  if (n === 0) return { accuracy: Number.NaN, loss: Number.NaN };
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < m; c++) if (logits[i * m + c] > logits[i * m + best]) best = c;
    let sum = 0;
    for (let c = 0; c < m; c++) sum += Math.exp(logits[i * m + c] - logits[i * m + best]);
    const target = rowOf[labels[i]];
    if (best === target) correct++;
    // A label without a prototype can never be predicted: it counts as an error with no loss term.
    if (target >= 0) loss += Math.log(sum) + logits[i * m + best] - logits[i * m + target];
  }
  return { accuracy: correct / n, loss: loss / n };
}
