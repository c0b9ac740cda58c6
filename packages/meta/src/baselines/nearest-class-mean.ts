import { InvalidArgumentError, type MatrixLike, NotFittedError, ShapeMismatchError } from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { asMatrixView } from '../internal/as-matrix-view.js';
import { checkInstanceSet } from '../internal/check-instance-set.js';
import { argminRows, squaredDistances } from '../internal/linalg.js';
import { classMeans } from '../prototypes/class-means.js';
import { accuracy } from '../internal/accuracy.js';
import { checkJsonKind } from '../internal/check-json-kind.js';

/** JSON form of a fitted {@link NearestClassMean}. */
export interface NearestClassMeanJson {
  kind: 'NearestClassMean';
  version: 1;
  /** Vector dimension. */
  d: number;
  numLabels: number;
  /** Label ids with a mean, ascending. */
  labels: number[];
  /** Means, flat `labels.length × d`, rows aligned with `labels`. */
  means: number[];
}

// Rows per block of the distance matrix in predict: bounds its memory at 4096 × classes doubles.
const BLOCK = 4096;

/**
 * The nearest-class-mean classifier on raw vectors (a parameter-free probe baseline): `fit`
 * stores the mean mu_c of each label present in the training set (METHOD.md section 3's class
 * means, no learned map); `predict` returns the label of the nearest mean in Euclidean distance,
 * the smallest label id on ties.
 *
 * @see sklearn.neighbors.NearestCentroid (metric 'euclidean', no shrinkage)
 * @example new NearestClassMean().fit(train).score(test)
 */
export class NearestClassMean {
  #state: { d: number; numLabels: number; labels: Int32Array; means: Float64Array } | undefined;

  #fitted() {
    if (this.#state === undefined) throw new NotFittedError('NearestClassMean');
    return this.#state;
  }

  /** Label ids that have a mean (present in the training set), ascending. @throws XLING_NOT_FITTED */
  get classes(): Int32Array {
    return this.#fitted().labels.slice();
  }

  /** Class means, flat `classes.length × d`, rows aligned with {@link classes}. @throws XLING_NOT_FITTED */
  get means(): Float64Array {
    return this.#fitted().means.slice();
  }

  /**
   * Computes the class means of `train`'s vectors.
   * @throws XLING_INVALID_ARGUMENT for an empty or malformed set
   */
  fit(train: InstanceSet): this {
    const fn = 'NearestClassMean.fit';
    const t = checkInstanceSet(train, 'train', fn);
    if (t.x.rows === 0)
      throw new InvalidArgumentError('train', fn, 'must hold at least one instance, but got 0.');
    const { means, labels } = classMeans(t.x, t.labels, t.numLabels);
    this.#state = { d: t.x.cols, numLabels: t.numLabels, labels, means };
    return this;
  }

  /**
   * Label id of the nearest class mean for each row of `x` (shape `n × d`).
   * @throws XLING_NOT_FITTED; XLING_SHAPE_MISMATCH when `x` does not have `d` columns; XLING_INVALID_ARGUMENT for NaN
   */
  predict(x: MatrixLike): Int32Array {
    const s = this.#fitted();
    const fn = 'NearestClassMean.predict';
    const m = asMatrixView(x, 'x', fn);
    if (m.cols !== s.d) throw new ShapeMismatchError('x', fn, `${s.d} columns`, String(m.cols));
    const means = { rows: s.labels.length, cols: s.d, data: s.means };
    const out = new Int32Array(m.rows);
    for (let start = 0; start < m.rows; start += BLOCK) {
      const n = Math.min(BLOCK, m.rows - start);
      const block = { rows: n, cols: s.d, data: m.data.subarray(start * s.d, (start + n) * s.d) };
      // Means are in ascending label order and argminRows keeps the first minimum: ties go to the smaller id.
      const nearest = argminRows(squaredDistances(block, means));
      for (let i = 0; i < n; i++) out[start + i] = s.labels[nearest[i]];
    }
    return out;
  }

  /**
   * Accuracy on `set` (NaN for an empty set); rows whose label had no training instance count as errors.
   * @throws XLING_NOT_FITTED; XLING_SHAPE_MISMATCH for another dimension
   */
  score(set: InstanceSet): number {
    const s = this.#fitted();
    const checked = checkInstanceSet(set, 'set', 'NearestClassMean.score', s.d);
    const predicted = this.predict(checked.x);
    return accuracy(predicted, checked.labels);
  }

  toJSON(): NearestClassMeanJson {
    const s = this.#fitted();
    return {
      kind: 'NearestClassMean',
      version: 1,
      d: s.d,
      numLabels: s.numLabels,
      labels: Array.from(s.labels),
      means: Array.from(s.means),
    };
  }

  /** @throws XLING_INVALID_ARGUMENT for another kind or inconsistent sizes */
  static fromJSON(json: unknown): NearestClassMean {
    const fn = 'NearestClassMean.fromJSON';
    const j = checkJsonKind<NearestClassMeanJson>(json, 'NearestClassMean', [1], fn);
    if (
      !Array.isArray(j.labels) ||
      !Array.isArray(j.means) ||
      !Number.isInteger(j.d) ||
      j.means.length !== j.labels.length * j.d
    ) {
      throw new InvalidArgumentError(
        'json',
        fn,
        `must hold 'means' with labels.length × d entries, but got ${Array.isArray(j.means) ? j.means.length : typeof j.means}.`,
      );
    }
    const out = new NearestClassMean();
    out.#state = {
      d: j.d,
      numLabels: j.numLabels,
      labels: Int32Array.from(j.labels),
      means: Float64Array.from(j.means),
    };
    return out;
  }
}
