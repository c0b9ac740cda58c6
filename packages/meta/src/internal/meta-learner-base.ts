import {
  type ConfigField,
  type EstimatorConfig,
  InvalidArgumentError,
  type Matrix,
  type MatrixLike,
  NotFittedError,
  type OptionConstraints,
  type ProgressCallback,
  ShapeMismatchError,
  type Tensor,
  type TensorSpec,
  asMatrix,
  checkOptions,
  loadEstimatorFiles,
  saveEstimatorFiles,
} from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import type { PrototypeSet } from '../prototypes/prototype-set.js';
import { checkInstanceSet, type CheckedInstanceSet } from './check-instance-set.js';
import { type Matrix64, argminRows, gatherRows, squaredDistances } from './linalg.js';
import {
  type MetaEpoch,
  type MetaStopping,
  type MetaTrainConfig,
  type MetaVariant,
  trainMeta,
} from './meta-trainer.js';
import { type PhiParams, phiForward } from './phi.js';
import { phiEmbedAsync } from './meta-step.js';
import { accuracy } from './accuracy.js';
import { checkJsonKind } from './check-json-kind.js';

// Defaults chosen by measurement (README, Meta-learners); the reference's are 5e-5 and 50 epochs
// without early stopping.
const DEFAULT_LEARNING_RATE = 1e-3;
const DEFAULT_EPOCHS = 50;
const DEFAULT_PATIENCE = 10;
const DEFAULT_TOLERANCE = 0.002;

/**
 * Options shared by the meta-learners; defaults are METHOD.md section 5's except the learning
 * rate and early stopping (`patience`), chosen by measurement (README, Meta-learners).
 */
export interface MetaLearnerOptions {
  /** Hidden width of phi. @defaultValue 256 when k <= 32 (POS), 384 above (deprel) */
  hiddenSize?: number;
  /** Dropout after the LeakyReLU. @defaultValue 0.33 */
  dropout?: number;
  /**
   * Adam learning rate (cosine decay over `epochs`, no warm-up). The reference's 5e-5 creeps up
   * to its plateau over all 50 epochs (demo data: validation accuracy still rising at epoch 48);
   * 1e-3 reached the same or a higher validation accuracy within 10 epochs on the demo data and
   * on demo-sized synthetic languages, so early stopping ends it in about 20 (README,
   * Meta-learners). `{ learningRate: 5e-5, epochs: 50, patience: 50 }` replicates the reference.
   * @defaultValue 1e-3
   */
  learningRate?: number;
  /** Adam L2 weight decay (torch semantics). @defaultValue 1e-4 */
  weightDecay?: number;
  /** Maximum epochs (early stopping may end training sooner; see `patience`). @defaultValue 50 */
  epochs?: number;
  /**
   * Early stopping: training ends after this many epochs in a row without a better mean
   * validation query accuracy (the best epoch is kept). Needs validation languages; without
   * them every epoch runs. `patience >= epochs` runs every epoch.
   * @defaultValue 10
   */
  patience?: number;
  /**
   * Gain of mean validation accuracy that resets the patience counter: a curve creeping up by
   * less than this over `patience` epochs has plateaued (Keras' `min_delta`). The best epoch is
   * still the one with the highest validation accuracy.
   * @defaultValue 0.002
   */
  tolerance?: number;
  /** Episodes per language per epoch (50 × m per epoch in all). @defaultValue 50 */
  episodesPerLanguage?: number;
  /** Episodes per validation language (drawn once). @defaultValue 30 */
  validationEpisodesPerLanguage?: number;
  /** N, support sentences per episode (unused by the meta-training loss). @defaultValue 1 */
  supportSize?: number;
  /** Q, query sentences per episode. @defaultValue 30 */
  querySize?: number;
  /** Support smoothing. @defaultValue true */
  smoothing?: boolean;
  /** Minimum instances per label in both languages for V(src, l), and in the source for test-time labels. @defaultValue 10 */
  minCount?: number;
  /** Seed of initialisation, episodes and dropout. @defaultValue 0 */
  seed?: number;
  /**
   * Where the large products of each step run: `'ort'` (onnxruntime-node, native float32 MLAS
   * kernels with AVX2/AVX-512: phi's forward and backward passes as two graphs per step), `'tf'`
   * (tfjs wasm, float32 128-bit SIMD, single-threaded) or `'js'` (exact float64, slow; for
   * checks). `'ort'` is the default because it is the fastest here: one reference-shaped
   * training step (600 tokens, 768 → 256 → 32, Adam included) took 8–15 ms on 1 thread against
   * 23–41 ms on `'tf'` and 10–28 ms in PyTorch 1.13 on 1 thread, same runs (README,
   * Performance). `'ort'` and `'tf'` agree with the float64 `'js'` engine to float32 precision.
   * @defaultValue 'ort'
   */
  engine?: 'ort' | 'tf' | 'js';
  /**
   * onnxruntime intra-op threads of the `'ort'` engine (`intraOpNumThreads`). One thread is the
   * fair comparison with a one-thread PyTorch and was as fast as two on a loaded 2-core machine;
   * more threads help on an idle many-core machine. Results are deterministic for a thread count.
   * @defaultValue 1
   */
  threads?: number;
}

/** Data of a meta-training run. */
export interface MetaFitData {
  /** The source language's prototypes (e.g. `probe.prototypeSet` of an English {@link LinearProbe}). */
  source: PrototypeSet;
  /** Meta-training languages' instances (their fitting split). */
  languages: Record<string, InstanceSet>;
  /** Validation languages' instances (dev splits) for model selection. */
  validation?: Record<string, InstanceSet>;
  /** Zero-shot target languages: checked to share nothing with `validation` or `languages` (no leak). */
  targets?: readonly string[];
}

/** Side channels of a meta-training run. */
export interface MetaFitControl {
  /** Progress per episode (loss, episodes/s) and per epoch (validation accuracy). */
  onProgress?: ProgressCallback;
  /** Cancels between episodes; a resumed run restarts from the last epoch checkpoint. */
  signal?: AbortSignal;
  /** Folder for `checkpoint.safetensors`, written atomically after every epoch; an existing one is resumed. */
  checkpointDir?: string;
}

/** Option constraints shared by both learners (each adds its own). */
export const metaLearnerConstraints: OptionConstraints = {
  hiddenSize: { type: 'integer', min: 1 },
  dropout: { type: 'number', min: 0, max: 1, exclusiveMax: true },
  learningRate: { type: 'number', min: 0 },
  weightDecay: { type: 'number', min: 0 },
  epochs: { type: 'integer', min: 0 },
  patience: { type: 'integer', min: 1 },
  tolerance: { type: 'number', min: 0 },
  episodesPerLanguage: { type: 'integer', min: 1 },
  validationEpisodesPerLanguage: { type: 'integer', min: 1 },
  supportSize: { type: 'integer', min: 0 },
  querySize: { type: 'integer', min: 1 },
  smoothing: { type: 'boolean' },
  minCount: { type: 'integer', min: 0 },
  seed: { type: 'integer' },
  engine: { type: 'enum', values: ['ort', 'tf', 'js'] },
  threads: { type: 'integer', min: 1 },
};

/** Learned state of a meta-learner. */
export interface MetaLearnerState {
  phi: PhiParams;
  u?: Float64Array;
  adapters?: Record<string, { a: Float64Array; c: Float64Array }>;
  source: { prototypes: Float64Array; labels: Int32Array; counts: Int32Array; numLabels: number; k: number };
  history: MetaEpoch[];
  /** Model selection and early stopping: best epoch, epochs run, converged, stopped early. */
  stopping: MetaStopping;
  validLabels: Record<string, number[]>;
  /** Split each meta-training language was fitted on (`dev` where it has no train split). */
  fitSplits: Record<string, string>;
}

/** Shared machinery of {@link MetaProtoNet} and {@link LanguageAdapterProtoNet}. */
export abstract class MetaLearnerBase<O extends MetaLearnerOptions> {
  readonly options: Readonly<O>;
  protected state: MetaLearnerState | undefined;
  /** Epoch a resumed `fit` continued after (0 for a fresh run). */
  resumedFromEpoch = 0;

  protected abstract readonly variant: MetaVariant;
  protected abstract readonly kind: string;

  constructor(options: O, name: string, constraints: OptionConstraints = metaLearnerConstraints) {
    checkOptions(options, constraints, name);
    this.options = { ...options };
  }

  protected fitted(): MetaLearnerState {
    if (this.state === undefined) throw new NotFittedError(this.kind);
    return this.state;
  }

  /** phi's parameters: `w1` (d × h), `b1`, `w2` (h × k), `b2`. @throws XLING_NOT_FITTED */
  get phi(): PhiParams {
    const p = this.fitted().phi;
    return { ...p, w1: p.w1.slice(), b1: p.b1.slice(), w2: p.w2.slice(), b2: p.b2.slice() };
  }

  /** Per-epoch loss, validation accuracy and episodes/s. @throws XLING_NOT_FITTED */
  get history(): MetaEpoch[] {
    return this.fitted().history.map((e) => ({ ...e }));
  }

  /**
   * The epoch kept by model selection: the best mean validation query accuracy among trained
   * epochs (the last epoch without validation languages; 0 only when no epoch ran).
   * @throws XLING_NOT_FITTED
   */
  get bestEpoch(): number {
    return this.fitted().stopping.bestEpoch;
  }

  /** Epochs trained, at most the `epochs` maximum (fewer when early stopping ended training). @throws XLING_NOT_FITTED */
  get epochsRun(): number {
    return this.fitted().stopping.epochsRun;
  }

  /**
   * Whether the validation curve plateaued: `patience` epochs in a row brought no better
   * validation accuracy (false without validation languages, and for learners saved before
   * early stopping existed). @throws XLING_NOT_FITTED
   */
  get converged(): boolean {
    return this.fitted().stopping.converged;
  }

  /** Whether early stopping ended training before the `epochs` maximum. @throws XLING_NOT_FITTED */
  get stoppedEarly(): boolean {
    return this.fitted().stopping.stoppedEarly;
  }

  /** V(src, l) of each meta-training language (label ids). @throws XLING_NOT_FITTED */
  get validLabels(): Record<string, number[]> {
    return structuredClone(this.fitted().validLabels);
  }

  /** The split each meta-training language's instances came from (`dev` where it has no train split). @throws XLING_NOT_FITTED */
  get fitSplits(): Record<string, string> {
    return { ...this.fitted().fitSplits };
  }

  /** Label ids classified at test time: source labels with at least `minCount` source instances. @throws XLING_NOT_FITTED */
  get labels(): Int32Array {
    const s = this.fitted();
    const min = this.options.minCount ?? 10;
    return s.source.labels.filter((c) => s.source.counts[c] >= min);
  }

  /**
   * Meta-trains phi (and U or the adapters) on episodes of the meta-training languages.
   * @throws XLING_INVALID_ARGUMENT for malformed data, a target among validation/training
   * languages, or no shared labels; XLING_ABORTED when `signal` fires; XLING_CHECKPOINT_MISMATCH
   * when `checkpointDir` holds another run's checkpoint
   */
  async fit(data: MetaFitData, control: MetaFitControl = {}): Promise<this> {
    const fn = `${this.kind}.fit`;
    if (typeof data !== 'object' || data === null)
      throw new InvalidArgumentError('data', fn, `must be an object, but got ${String(data)}.`);
    const source = data.source;
    const sourceMatrix = asMatrix(source?.prototypes, 'data.source.prototypes', fn);
    if (source.labels.length !== sourceMatrix.rows) {
      throw new ShapeMismatchError(
        'data.source.labels',
        fn,
        `${sourceMatrix.rows} entries`,
        String(source.labels.length),
      );
    }
    const names = Object.keys(data.languages ?? {});
    if (names.length === 0)
      throw new InvalidArgumentError('data.languages', fn, 'must hold at least one language, but is empty.');
    const languages: Record<string, CheckedInstanceSet> = {};
    let d: number | undefined;
    for (const l of names) {
      languages[l] = checkInstanceSet(data.languages[l], `data.languages.${l}`, fn, d);
      d = languages[l].x.cols;
      if (languages[l].numLabels !== source.numLabels) {
        throw new ShapeMismatchError(
          `data.languages.${l}.numLabels`,
          fn,
          `${source.numLabels} like the source`,
          String(languages[l].numLabels),
        );
      }
    }
    const validation: Record<string, CheckedInstanceSet> = {};
    for (const l of Object.keys(data.validation ?? {}))
      validation[l] = checkInstanceSet(data.validation![l], `data.validation.${l}`, fn, d);
    for (const t of data.targets ?? []) {
      if (t in validation || t in languages) {
        throw new InvalidArgumentError(
          'data.targets',
          fn,
          `must not include validation or meta-training languages (model selection would leak), but '${t}' is one.`,
        );
      }
    }
    const k = sourceMatrix.cols;
    const o = this.options as MetaLearnerOptions & { orthogonalization?: number };
    const config: MetaTrainConfig = {
      variant: this.variant,
      hiddenSize: o.hiddenSize ?? (k <= 32 ? 256 : 384),
      dropout: o.dropout ?? 0.33,
      learningRate: o.learningRate ?? DEFAULT_LEARNING_RATE,
      weightDecay: o.weightDecay ?? 1e-4,
      epochs: o.epochs ?? DEFAULT_EPOCHS,
      patience: o.patience ?? DEFAULT_PATIENCE,
      tolerance: o.tolerance ?? DEFAULT_TOLERANCE,
      episodesPerLanguage: o.episodesPerLanguage ?? 50,
      validationEpisodesPerLanguage: o.validationEpisodesPerLanguage ?? 30,
      supportSize: o.supportSize ?? 1,
      querySize: o.querySize ?? 30,
      smoothing: o.smoothing ?? true,
      minCount: o.minCount ?? 10,
      orthogonalization: o.orthogonalization ?? 0,
      seed: o.seed ?? 0,
      engine: o.engine ?? 'ort',
      threads: o.threads ?? 1,
    };
    const checkedSource: PrototypeSet = { ...source, prototypes: sourceMatrix };
    const result = await trainMeta(config, { source: checkedSource, languages, validation }, control);
    this.resumedFromEpoch = result.resumedFromEpoch;
    this.state = {
      phi: result.phi,
      ...(result.u !== undefined ? { u: result.u } : {}),
      ...(result.adapters !== undefined ? { adapters: result.adapters } : {}),
      source: {
        prototypes: Float64Array.from(sourceMatrix.data),
        labels: Int32Array.from(source.labels),
        counts: Int32Array.from(source.counts),
        numLabels: source.numLabels,
        k,
      },
      history: result.history,
      stopping: {
        bestEpoch: result.bestEpoch,
        epochsRun: result.epochsRun,
        converged: result.converged,
        stoppedEarly: result.stoppedEarly,
      },
      validLabels: result.validLabels,
      fitSplits: Object.fromEntries(names.map((l) => [l, data.languages[l].fitSplit ?? 'unknown'])),
    };
    return this;
  }

  /** phi(x) in evaluation mode (no dropout), float64: shape `n × k`. @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH */
  embed(x: MatrixLike): Matrix<Float64Array> {
    const s = this.fitted();
    const m = asMatrix(x, 'x', `${this.kind}.embed`);
    if (m.cols !== s.phi.d)
      throw new ShapeMismatchError('x', `${this.kind}.embed`, `${s.phi.d} columns`, String(m.cols));
    return phiForward(m, s.phi);
  }

  /** Source prototypes of {@link labels}: `labels.length × k`. */
  protected sourcePrototypeRows(): Matrix64 {
    const { source } = this.fitted();
    const rowOf = new Map<number, number>();
    source.labels.forEach((label, i) => {
      rowOf.set(label, i);
    });
    const all = { rows: source.labels.length, cols: source.k, data: source.prototypes };
    return gatherRows(
      all,
      this.labels.map((label) => rowOf.get(label) as number),
      Float64Array,
    );
  }

  /** The test-time prototypes (rows aligned with {@link labels}) in the embedding space. */
  protected abstract queryPrototypes(): Matrix64;

  /**
   * {@link embed} on the learner's `engine` (`'ort'` by default: one float32 onnxruntime call,
   * ~20x the float64 JavaScript's speed on a test set; agrees with {@link embed} to float32
   * precision, ~1e-6 relative). @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH
   */
  async embedAsync(x: MatrixLike): Promise<Matrix<Float64Array>> {
    const s = this.fitted();
    const m = asMatrix(x, 'x', `${this.kind}.embedAsync`);
    if (m.cols !== s.phi.d)
      throw new ShapeMismatchError('x', `${this.kind}.embedAsync`, `${s.phi.d} columns`, String(m.cols));
    return phiEmbedAsync(s.phi, m, this.options.engine ?? 'ort', this.options.threads ?? 1);
  }

  /** Nearest-prototype label ids for rows of x. @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH */
  predict(x: MatrixLike): Int32Array {
    return this.nearestLabels(this.embed(x));
  }

  /** {@link predict} with phi on the learner's engine ({@link embedAsync}). */
  async predictAsync(x: MatrixLike): Promise<Int32Array> {
    return this.nearestLabels(await this.embedAsync(x));
  }

  private nearestLabels(z: Matrix64): Int32Array {
    const labels = this.labels;
    return argminRows(squaredDistances(z, this.queryPrototypes())).map((i) => labels[i]);
  }

  /** Word-level accuracy on `set`; instances whose label has no prototype count as errors. */
  score(set: InstanceSet): number {
    const s = this.fitted();
    const checked = checkInstanceSet(set, 'set', `${this.kind}.score`, s.phi.d);
    return accuracy(this.predict(checked.x), checked.labels);
  }

  /** {@link score} with phi on the learner's engine ({@link embedAsync}). */
  async scoreAsync(set: InstanceSet): Promise<number> {
    const s = this.fitted();
    const checked = checkInstanceSet(set, 'set', `${this.kind}.scoreAsync`, s.phi.d);
    return accuracy(await this.predictAsync(checked.x), checked.labels);
  }

  /** Tagged JSON (parameters as number arrays). @throws XLING_NOT_FITTED */
  toJSON(): Record<string, unknown> & { kind: string; version: number } {
    const s = this.fitted();
    return {
      kind: this.kind,
      version: 1,
      options: this.options,
      phi: {
        d: s.phi.d,
        h: s.phi.h,
        k: s.phi.k,
        w1: Array.from(s.phi.w1),
        b1: Array.from(s.phi.b1),
        w2: Array.from(s.phi.w2),
        b2: Array.from(s.phi.b2),
      },
      ...(s.u !== undefined ? { u: Array.from(s.u) } : {}),
      ...(s.adapters !== undefined
        ? {
            adapters: Object.fromEntries(
              Object.entries(s.adapters).map(([l, v]) => [l, { a: Array.from(v.a), c: Array.from(v.c) }]),
            ),
          }
        : {}),
      source: {
        prototypes: Array.from(s.source.prototypes),
        labels: Array.from(s.source.labels),
        counts: Array.from(s.source.counts),
        numLabels: s.source.numLabels,
        k: s.source.k,
      },
      history: s.history,
      bestEpoch: s.stopping.bestEpoch,
      epochsRun: s.stopping.epochsRun,
      converged: s.stopping.converged,
      stoppedEarly: s.stopping.stoppedEarly,
      validLabels: s.validLabels,
      fitSplits: s.fitSplits,
    };
  }

  /** Restores state from {@link toJSON} output into this (unfitted) instance. */
  protected restore(json: unknown): this {
    // biome-ignore lint/suspicious/noExplicitAny: validated field by field below
    const j = checkJsonKind<any>(json, this.kind, [1], `${this.kind}.fromJSON`);
    const f64 = (a: number[]) => Float64Array.from(a);
    this.state = {
      ...headerState(j),
      phi: {
        d: j.phi.d,
        h: j.phi.h,
        k: j.phi.k,
        w1: f64(j.phi.w1),
        b1: f64(j.phi.b1),
        w2: f64(j.phi.w2),
        b2: f64(j.phi.b2),
      },
      ...(j.u !== undefined ? { u: f64(j.u) } : {}),
      ...(j.adapters !== undefined
        ? {
            adapters: Object.fromEntries(
              Object.entries(j.adapters as Record<string, { a: number[]; c: number[] }>).map(([l, v]) => [
                l,
                { a: f64(v.a), c: f64(v.c) },
              ]),
            ),
          }
        : {}),
      source: sourceState(j.source, f64(j.source.prototypes)),
    };
    return this;
  }

  /** Restores state from the checked files {@link save} wrote. */
  private restoreFiles(config: MetaLearnerConfig, tensors: Record<string, Tensor>): this {
    const f64 = (name: string) => tensors[name].data as Float64Array;
    this.state = {
      ...headerState(config),
      phi: { ...config.phi, w1: f64('phi.w1'), b1: f64('phi.b1'), w2: f64('phi.w2'), b2: f64('phi.b2') },
      ...(this.variant === 'zero-shot' ? { u: f64('u') } : {}),
      ...(this.variant === 'few-shot'
        ? {
            adapters: Object.fromEntries(
              config.adapters.map((l) => [l, { a: f64(`adapter.${l}.a`), c: f64(`adapter.${l}.c`) }]),
            ),
          }
        : {}),
      source: sourceState(config.source, f64('source.prototypes')),
    };
    return this;
  }

  /**
   * Saves `config.json` (options, shapes, labels, history) + `model.safetensors` (float64
   * parameters and source prototypes) into `folder`, atomically.
   * @throws XLING_NOT_FITTED; XLING_FILE_SYSTEM when the folder cannot be written
   */
  async save(folder: string): Promise<void> {
    const s = this.fitted();
    // Parameters go to safetensors; config.json keeps everything else.
    const { phi: _phi, u: _u, adapters: _adapters, source: _source, ...config } = this.toJSON();
    const tensors: Record<string, Tensor> = {};
    for (const { name, shape } of tensorSpecs(this.variant, header(s)))
      tensors[name] = { dtype: 'F64', shape: [...shape], data: parameter(s, name) };
    await saveEstimatorFiles(folder, { ...config, ...header(s) }, tensors);
  }

  /**
   * Loads a learner that {@link save} wrote: `create` makes an unfitted learner of the class from
   * the saved options (with `{}` first, to learn the kind the folder must hold).
   */
  protected static loadFolder<L extends MetaLearnerBase<MetaLearnerOptions>>(
    folder: string,
    create: (options: MetaLearnerOptions) => L,
  ): Promise<L> {
    const { kind, variant } = create({});
    return loadEstimatorFiles(folder, {
      kind,
      versions: [1],
      fields: CONFIG_FIELDS,
      check: (c: MetaLearnerConfig) =>
        c.source.counts.length !== c.source.numLabels
          ? `field 'source.counts' has ${c.source.counts.length} entries, but 'source.numLabels' is ${c.source.numLabels}`
          : undefined,
      tensors: (c) => tensorSpecs(variant, c),
      restore: (c, tensors) => create(c.options).restoreFiles(c, tensors),
    });
  }
}

/** What `config.json` of a saved learner holds: its JSON form without the parameters. */
interface MetaLearnerConfig extends EstimatorConfig {
  options: MetaLearnerOptions;
  history: MetaEpoch[];
  bestEpoch: number;
  epochsRun?: number;
  converged?: boolean;
  stoppedEarly?: boolean;
  validLabels: Record<string, number[]>;
  fitSplits?: Record<string, string>;
  phi: { d: number; h: number; k: number };
  /** Languages with a meta-trained adapter (few-shot). */
  adapters: string[];
  source: { labels: number[]; counts: number[]; numLabels: number; k: number };
}

// Files saved before early stopping lack epochsRun, converged, stoppedEarly and fitSplits.
const CONFIG_FIELDS: readonly ConfigField[] = [
  { name: 'options', type: 'object' },
  {
    name: 'history',
    type: 'array',
    fields: [
      { name: 'epoch', type: 'integer' },
      { name: 'loss', type: 'number', nullable: true },
      { name: 'validationAccuracy', type: 'number', nullable: true },
      // Files saved before the history dropped its timing hold it; ignored.
      { name: 'episodesPerSecond', type: 'number', optional: true },
    ],
  },
  { name: 'bestEpoch', type: 'integer' },
  { name: 'epochsRun', type: 'integer', optional: true },
  { name: 'converged', type: 'boolean', optional: true },
  { name: 'stoppedEarly', type: 'boolean', optional: true },
  { name: 'validLabels', type: 'object' },
  { name: 'fitSplits', type: 'object', optional: true },
  {
    name: 'phi',
    type: 'object',
    fields: ['d', 'h', 'k'].map((name) => ({ name, type: 'integer' as const })),
  },
  { name: 'adapters', type: 'string[]' },
  {
    name: 'source',
    type: 'object',
    fields: [
      { name: 'labels', type: 'integer[]' },
      { name: 'counts', type: 'integer[]' },
      { name: 'numLabels', type: 'integer' },
      { name: 'k', type: 'integer' },
    ],
  },
];

/** The shapes and labels `config.json` records beside the JSON form's other fields. */
function header(s: MetaLearnerState): Pick<MetaLearnerConfig, 'phi' | 'adapters' | 'source'> {
  return {
    phi: { d: s.phi.d, h: s.phi.h, k: s.phi.k },
    adapters: Object.keys(s.adapters ?? {}),
    source: {
      labels: Array.from(s.source.labels),
      counts: Array.from(s.source.counts),
      numLabels: s.source.numLabels,
      k: s.source.k,
    },
  };
}

/** The tensors of a saved learner, with the shapes its header implies. */
function tensorSpecs(
  variant: MetaVariant,
  { phi, adapters, source }: Pick<MetaLearnerConfig, 'phi' | 'adapters' | 'source'>,
): TensorSpec[] {
  const f64 = (name: string, ...shape: number[]): TensorSpec => ({ name, dtype: 'F64', shape });
  const specs = [
    f64('phi.w1', phi.d, phi.h),
    f64('phi.b1', phi.h),
    f64('phi.w2', phi.h, phi.k),
    f64('phi.b2', phi.k),
    f64('source.prototypes', source.labels.length, source.k),
  ];
  if (variant === 'zero-shot') specs.push(f64('u', source.k, source.k));
  for (const l of adapters)
    specs.push(f64(`adapter.${l}.a`, source.k, source.k), f64(`adapter.${l}.c`, source.k));
  return specs;
}

/** The parameter a tensor name of {@link tensorSpecs} stands for (language codes may hold dots). */
function parameter(s: MetaLearnerState, name: string): Float64Array {
  if (name.startsWith('adapter.')) return s.adapters![name.slice(8, -2)][name.endsWith('.a') ? 'a' : 'c'];
  if (name.startsWith('phi.')) return s.phi[name.slice(4) as 'w1' | 'b1' | 'w2' | 'b2'];
  return name === 'u' ? s.u! : s.source.prototypes;
}

/** The source part of the state from its saved labels and shape and its prototypes. */
function sourceState(
  source: { labels: ArrayLike<number>; counts: ArrayLike<number>; numLabels: number; k: number },
  prototypes: Float64Array,
): MetaLearnerState['source'] {
  const { numLabels, k } = source;
  return {
    prototypes,
    labels: Int32Array.from(source.labels),
    counts: Int32Array.from(source.counts),
    numLabels,
    k,
  };
}

/** The state both saved forms record alike: history, model selection, labels, fit splits. */
function headerState(j: Omit<MetaLearnerConfig, 'phi' | 'adapters' | 'source'>) {
  // JSON writes NaN (no validation languages) as null.
  const history = j.history.map((e) => ({ ...e, validationAccuracy: e.validationAccuracy ?? Number.NaN }));
  return {
    history,
    // Files saved before early stopping lack these: every epoch ran and nothing is known to
    // have converged.
    stopping: {
      bestEpoch: j.bestEpoch,
      epochsRun: j.epochsRun ?? history.length,
      converged: j.converged ?? false,
      stoppedEarly: j.stoppedEarly ?? false,
    },
    validLabels: j.validLabels,
    fitSplits: j.fitSplits ?? {},
  };
}

/** The onProgress type re-exported for option docs. */
export type { ProgressCallback };
