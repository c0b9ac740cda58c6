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
  type Tensor,
  asMatrix,
  checkOptions,
  readSafetensors,
  writeFileAtomic,
  writeSafetensors,
} from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import type { PrototypeSet } from '../prototypes/prototype-set.js';
import { checkInstanceSet, type CheckedInstanceSet } from './check-instance-set.js';
import { argminRows, squaredDistances } from './linalg.js';
import {
  type MetaEpoch,
  type MetaStopping,
  type MetaTrainConfig,
  type MetaVariant,
  trainMeta,
} from './meta-trainer.js';
import { type PhiParams, phiForward } from './phi.js';
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
    return { rows: m.rows, cols: s.phi.k, data: phiForward(m.data, m.rows, s.phi) };
  }

  /** Source prototypes of {@link labels}, flat `labels.length × k`. */
  protected sourcePrototypeRows(): Float64Array {
    const s = this.fitted();
    const k = s.source.k;
    const labels = this.labels;
    const rowOf = new Map<number, number>();
    for (let i = 0; i < s.source.labels.length; i++) rowOf.set(s.source.labels[i], i);
    const rows = new Float64Array(labels.length * k);
    for (let i = 0; i < labels.length; i++) {
      const r = rowOf.get(labels[i]) as number;
      rows.set(s.source.prototypes.subarray(r * k, r * k + k), i * k);
    }
    return rows;
  }

  /** The test-time prototypes (rows aligned with {@link labels}) in the embedding space. */
  protected abstract queryPrototypes(): Float64Array;

  /** Maps phi(x) rows before nearest-prototype search (identity by default). */
  protected mapEmbedded(z: Float64Array, _n: number): Float64Array {
    return z;
  }

  /** Nearest-prototype label ids for rows of x. @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH */
  predict(x: MatrixLike): Int32Array {
    const s = this.fitted();
    const z = this.embed(x);
    const labels = this.labels;
    const q = this.queryPrototypes();
    const g = this.mapEmbedded(z.data, z.rows);
    const nearest = argminRows(
      squaredDistances(g, q, z.rows, labels.length, s.source.k),
      z.rows,
      labels.length,
    );
    return nearest.map((i) => labels[i]);
  }

  /** Word-level accuracy on `set`; instances whose label has no prototype count as errors. */
  score(set: InstanceSet): number {
    const s = this.fitted();
    const checked = checkInstanceSet(set, 'set', `${this.kind}.score`, s.phi.d);
    const predicted = this.predict(checked.x);
    return accuracy(predicted, checked.labels);
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
    // JSON writes NaN (no validation languages) as null.
    const history = (j.history as MetaEpoch[]).map((e) => ({
      ...e,
      validationAccuracy: e.validationAccuracy ?? Number.NaN,
    }));
    this.state = {
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
      source: {
        prototypes: Float64Array.from(j.source.prototypes),
        labels: Int32Array.from(j.source.labels),
        counts: Int32Array.from(j.source.counts),
        numLabels: j.source.numLabels,
        k: j.source.k,
      },
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
    return this;
  }

  /** Saves `config.json` + `model.safetensors` (float64 parameters and source prototypes) into `folder`, atomically. */
  async save(folder: string): Promise<void> {
    const s = this.fitted();
    // Parameters go to safetensors; config.json keeps everything else.
    const { phi: _phi, u: _u, adapters: _adapters, source: _source, ...config } = this.toJSON();
    const tensors: Record<string, Tensor> = {
      'phi.w1': { dtype: 'F64', shape: [s.phi.d, s.phi.h], data: s.phi.w1 },
      'phi.b1': { dtype: 'F64', shape: [s.phi.h], data: s.phi.b1 },
      'phi.w2': { dtype: 'F64', shape: [s.phi.h, s.phi.k], data: s.phi.w2 },
      'phi.b2': { dtype: 'F64', shape: [s.phi.k], data: s.phi.b2 },
      'source.prototypes': {
        dtype: 'F64',
        shape: [s.source.labels.length, s.source.k],
        data: s.source.prototypes,
      },
    };
    if (s.u !== undefined) tensors.u = { dtype: 'F64', shape: [s.source.k, s.source.k], data: s.u };
    for (const [l, v] of Object.entries(s.adapters ?? {})) {
      tensors[`adapter.${l}.a`] = { dtype: 'F64', shape: [s.source.k, s.source.k], data: v.a };
      tensors[`adapter.${l}.c`] = { dtype: 'F64', shape: [s.source.k], data: v.c };
    }
    await mkdir(folder, { recursive: true });
    await writeSafetensors(join(folder, 'model.safetensors'), tensors);
    const header = {
      ...config,
      phi: { d: s.phi.d, h: s.phi.h, k: s.phi.k },
      adapters: Object.keys(s.adapters ?? {}),
      source: {
        labels: Array.from(s.source.labels),
        counts: Array.from(s.source.counts),
        numLabels: s.source.numLabels,
        k: s.source.k,
      },
    };
    await writeFileAtomic(join(folder, 'config.json'), `${JSON.stringify(header, null, 2)}\n`);
  }

  /** Reads what {@link save} wrote into a JSON object for `fromJSON`. */
  protected static async readFolder(folder: string): Promise<Record<string, unknown>> {
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8'));
    const { tensors } = await readSafetensors(join(folder, 'model.safetensors'));
    const arr = (name: string) => Array.from(tensors[name].data as Float64Array | Float64Array);
    return {
      ...config,
      phi: { ...config.phi, w1: arr('phi.w1'), b1: arr('phi.b1'), w2: arr('phi.w2'), b2: arr('phi.b2') },
      ...(tensors.u !== undefined ? { u: arr('u') } : {}),
      ...(config.adapters.length > 0
        ? {
            adapters: Object.fromEntries(
              (config.adapters as string[]).map((l) => [
                l,
                { a: arr(`adapter.${l}.a`), c: arr(`adapter.${l}.c`) },
              ]),
            ),
          }
        : {}),
      source: { ...config.source, prototypes: arr('source.prototypes') },
    };
  }
}

/** The onProgress type re-exported for option docs. */
export type { ProgressCallback };
