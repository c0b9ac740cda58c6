import {
  InvalidArgumentError,
  type Matrix,
  type MatrixLike,
  NotFittedError,
  ShapeMismatchError,
  asMatrix,
  checkOptions,
  toArray2d,
} from '@xling/core';
import { centerColumns, frobeniusNorm } from '../linalg/center.js';
import type { ProductEngine } from '../linalg/product-engine.js';
import { COMPUTE_CONSTRAINTS, type Compute, computeOf, wantsSharedBuffers } from '../linalg/threads.js';
import { matrixPair } from '../linalg/validate.js';
import { type Reflection, applyRotation, denseRotation, solveProcrustes } from './procrustes-core.js';

// The class lives in its own file (not orthogonal-procrustes.ts, which holds the scipy-style
// function of the same name): kebab-case file names cannot tell the two apart.

/** Options of {@link OrthogonalProcrustes}. */
export interface OrthogonalProcrustesEstimatorOptions {
  /**
   * Also fit a uniform scale `s` (least squares: `s = trace(S) / ||source||_F^2`).
   * @defaultValue false
   */
  scale?: boolean;
  /**
   * Centre source and target (map `x - mean_source` and add `mean_target`).
   * @defaultValue false
   */
  center?: boolean;
  /**
   * `'allow'` reflections (scipy) or `'forbid'` them (proper rotation, det +1).
   * @defaultValue 'allow'
   */
  reflection?: Reflection;
  /**
   * Threads for the large n-row products (`source^T target`): 1 computes everything on the calling
   * thread; more splits the rows over that many threads (the caller plus worker_threads, started on
   * first use, `unref`'d, stopped by `terminateAlignWorkers()`). `os.availableParallelism()` is what
   * big inputs want. Results agree with `threads: 1` to ~1e-14 relative, not bitwise (the partial
   * sums are added in another order), and are identical run to run for the same thread count.
   * Products under ~8M multiply-adds stay on the calling thread. A run-time setting: kept in
   * `threads`, not in `options` or `toJSON()`.
   * @defaultValue 1
   */
  threads?: number;
  /**
   * Runs the large products of `fit` on a native engine instead of the built-in wasm kernels,
   * e.g. `onnxruntimeEngine()` from `@xling/align-onnxruntime`. A run-time setting like `threads`.
   */
  engine?: ProductEngine;
}

/** The tagged JSON form of a fitted {@link OrthogonalProcrustes}. */
export interface OrthogonalProcrustesJson {
  kind: 'OrthogonalProcrustes';
  version: 1;
  options: Required<Omit<OrthogonalProcrustesEstimatorOptions, 'threads' | 'engine'>>;
  rotation: number[][];
  scale: number;
  sourceMean: number[];
  targetMean: number[];
}

interface Fitted {
  rotation: Float64Array;
  d: number;
  scale: number;
  sourceMean: Float64Array;
  targetMean: Float64Array;
}

const NAME = 'OrthogonalProcrustes';

const constraints = {
  scale: { type: 'boolean' },
  center: { type: 'boolean' },
  reflection: { type: 'enum', values: ['allow', 'forbid'] },
  ...COMPUTE_CONSTRAINTS,
} as const;

/**
 * A learned orthogonal map from a source space onto a target space (fit/transform/score), e.g.
 * one language's prototypes onto English's. `fit(source, target)` solves the orthogonal
 * Procrustes problem `min ||s (source - mu_s) R - (target - mu_t)||_F` (centring and scale
 * optional); `transform(x)` applies it; `score(x, y)` is the coefficient of determination R^2 of
 * `transform(x)` against `y`, as scikit-learn regressors score.
 *
 * @see scipy.linalg.orthogonal_procrustes; sklearn's estimator API (fit/transform/score)
 * @example
 * const map = new OrthogonalProcrustes({ center: true }).fit(source, target);
 * map.transform(source); // close to target when the spaces are alignable
 */
export class OrthogonalProcrustes {
  readonly options: Required<Omit<OrthogonalProcrustesEstimatorOptions, 'threads' | 'engine'>>;
  /** Threads for the cross-product in `fit` (see {@link OrthogonalProcrustesEstimatorOptions.threads}). */
  readonly threads: number;
  /** The engine for the products of `fit`, if any (see {@link OrthogonalProcrustesEstimatorOptions.engine}). */
  readonly engine: ProductEngine | undefined;
  #fitted: Fitted | undefined;

  constructor(options: OrthogonalProcrustesEstimatorOptions = {}) {
    checkOptions(options, constraints, NAME);
    const { scale = false, center = false, reflection = 'allow' } = options;
    this.options = { scale, center, reflection };
    const compute: Compute = computeOf(options);
    this.threads = compute.threads;
    this.engine = compute.engine;
  }

  #state(): Fitted {
    if (this.#fitted === undefined) throw new NotFittedError(NAME);
    return this.#fitted;
  }

  /** The orthogonal d x d map R (row vectors: `x R`). */
  get rotation(): Matrix<Float64Array> {
    const f = this.#state();
    return { rows: f.d, cols: f.d, data: f.rotation };
  }

  /** The fitted uniform scale (1 unless `options.scale`). */
  get scale(): number {
    return this.#state().scale;
  }

  /** Column means of the source (zeros unless `options.center`). */
  get sourceMean(): Float64Array {
    return this.#state().sourceMean;
  }

  /** Column means of the target (zeros unless `options.center`). */
  get targetMean(): Float64Array {
    return this.#state().targetMean;
  }

  /**
   * Fits the map from `source` (n x d) onto `target` (n x d, rows paired).
   * @throws XLING_SHAPE_MISMATCH, XLING_INVALID_ARGUMENT (fewer than 2 rows, NaN/Infinity,
   * an all-zero source when `scale` is on).
   */
  fit(source: MatrixLike, target: MatrixLike): this {
    const [a, b] = matrixPair(source, target, 'OrthogonalProcrustes.fit', {
      sameColumns: true,
      names: ['source', 'target'],
    });
    const { rows: n, cols: d } = a;
    let sourceMean: Float64Array = new Float64Array(d);
    let targetMean: Float64Array = new Float64Array(d);
    const compute: Compute = { threads: this.threads, engine: this.engine };
    let x = a.data;
    let y = b.data;
    if (this.options.center) {
      const shared = wantsSharedBuffers(compute);
      const ca = centerColumns(a, shared);
      const cb = centerColumns(b, shared);
      x = ca.centered;
      y = cb.centered;
      sourceMean = ca.means;
      targetMean = cb.means;
    }
    const { rotation, nuclear } = solveProcrustes(x, y, n, d, this.options.reflection, compute);
    let scale = 1;
    if (this.options.scale) {
      const norm = frobeniusNorm(x);
      if (norm === 0) {
        throw new InvalidArgumentError(
          'source',
          'OrthogonalProcrustes.fit',
          'must not be all zeros when options.scale is true.',
        );
      }
      scale = nuclear / (norm * norm);
    }
    this.#fitted = { rotation: denseRotation(rotation), d, scale, sourceMean, targetMean };
    return this;
  }

  /**
   * Maps `x` (m x d) into the target space: `s (x - mu_s) R + mu_t`.
   * @throws XLING_NOT_FITTED before fit; XLING_SHAPE_MISMATCH when `x` has another width.
   */
  transform(x: MatrixLike): Matrix<Float64Array> {
    const f = this.#state();
    const m = asMatrix(x, 'x', 'OrthogonalProcrustes.transform');
    if (m.cols !== f.d) {
      throw new ShapeMismatchError(
        'x',
        'OrthogonalProcrustes.transform',
        `${f.d} columns like the fitted source`,
        String(m.cols),
      );
    }
    const shifted = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < f.d; j++) shifted[i * f.d + j] = m.data[i * f.d + j] - f.sourceMean[j];
    const out = applyRotation(shifted, m.rows, { kind: 'dense', d: f.d, r: f.rotation });
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < f.d; j++) out[i * f.d + j] = f.scale * out[i * f.d + j] + f.targetMean[j];
    }
    return { rows: m.rows, cols: f.d, data: out };
  }

  /**
   * Coefficient of determination `1 - ||transform(x) - y||^2 / ||y - mean(y)||^2`.
   * @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH; XLING_INVALID_ARGUMENT when `y` is constant.
   */
  score(x: MatrixLike, y: MatrixLike): number {
    const f = this.#state();
    const [a, b] = matrixPair(x, y, 'OrthogonalProcrustes.score', { minRows: 1, sameColumns: true });
    if (a.cols !== f.d) {
      throw new ShapeMismatchError(
        'x',
        'OrthogonalProcrustes.score',
        `${f.d} columns like the fitted source`,
        String(a.cols),
      );
    }
    const predicted = this.transform(a).data;
    const { centered } = centerColumns(b);
    let residual = 0;
    let total = 0;
    for (let k = 0; k < predicted.length; k++) {
      residual += (predicted[k] - b.data[k]) ** 2;
      total += centered[k] ** 2;
    }
    if (total === 0)
      throw new InvalidArgumentError('y', 'OrthogonalProcrustes.score', 'must not be constant.');
    return 1 - residual / total;
  }

  /** Tagged plain-JSON form (`kind: 'OrthogonalProcrustes'`, `version: 1`). */
  toJSON(): OrthogonalProcrustesJson {
    const f = this.#state();
    return {
      kind: NAME,
      version: 1,
      options: { ...this.options },
      rotation: toArray2d({ rows: f.d, cols: f.d, data: f.rotation }),
      scale: f.scale,
      sourceMean: Array.from(f.sourceMean),
      targetMean: Array.from(f.targetMean),
    };
  }

  /**
   * Restores an estimator from {@link OrthogonalProcrustes.toJSON} output.
   * @throws XLING_INVALID_ARGUMENT for another `kind`, version or a malformed payload.
   */
  static fromJSON(json: unknown): OrthogonalProcrustes {
    const j = json as Partial<OrthogonalProcrustesJson> | null;
    if (typeof j !== 'object' || j === null || j.kind !== NAME) {
      throw new InvalidArgumentError(
        'json',
        'OrthogonalProcrustes.fromJSON',
        `must have kind '${NAME}', but got ${String(j?.kind)}.`,
      );
    }
    if (j.version !== 1) {
      throw new InvalidArgumentError(
        'json',
        'OrthogonalProcrustes.fromJSON',
        `must have version 1, but got ${String(j.version)}.`,
      );
    }
    const estimator = new OrthogonalProcrustes(j.options);
    const rotation = asMatrix(j.rotation ?? [], 'json.rotation', 'OrthogonalProcrustes.fromJSON');
    const d = rotation.rows;
    if (
      rotation.cols !== d ||
      !Array.isArray(j.sourceMean) ||
      j.sourceMean.length !== d ||
      !Array.isArray(j.targetMean) ||
      j.targetMean.length !== d ||
      typeof j.scale !== 'number'
    ) {
      throw new InvalidArgumentError(
        'json',
        'OrthogonalProcrustes.fromJSON',
        'has inconsistent rotation, scale or mean fields.',
      );
    }
    estimator.#fitted = {
      rotation: Float64Array.from(rotation.data),
      d,
      scale: j.scale,
      sourceMean: Float64Array.from(j.sourceMean),
      targetMean: Float64Array.from(j.targetMean),
    };
    return estimator;
  }
}
