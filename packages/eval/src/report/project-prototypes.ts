import {
  asMatrix,
  checkOptions,
  InvalidArgumentError,
  type MatrixLike,
  ShapeMismatchError,
} from '@xling/core';
import type { PrototypeProjection } from './experiment-result.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** One language's prototypes, already in a space shared by all languages (e.g. mapped to the source). */
export interface PrototypeSetInput {
  /** Language code. */
  language: string;
  /** Concept label of each prototype row. */
  labels: readonly string[];
  /** Prototypes, shape `labels.length × k`. */
  prototypes: MatrixLike;
}

/** Options of {@link projectPrototypes}. */
export interface ProjectPrototypesOptions {
  /** Copied into the result: the task the prototypes belong to. */
  task?: string;
  /** Copied into the result: the layer. */
  layer?: number;
  /** Copied into the result: which space the prototypes live in (e.g. `'procrustes-mapped'`). */
  space?: string;
}

/**
 * Projects the prototypes of all languages onto their first two principal components (PCA on
 * the centred, stacked prototype rows), for the report's prototype map. Deterministic: the
 * eigenproblem is solved by cyclic Jacobi on the smaller of the covariance (`k × k`) and Gram
 * (`n × n`) matrices, and each component is signed so that its largest-magnitude coordinate is
 * positive (scikit-learn's `svd_flip`, u-based), so the output equals
 * `PCA(n_components=2, svd_solver='full').fit_transform(X)` of scikit-learn 1.2.
 *
 * Notation: `X` (`n × k`) stacks every language's prototypes in input order; coordinates are
 * `U S` of the thin SVD of the centred `X`.
 *
 * @param sets - per-language prototypes, all with the same number of columns
 * @returns the points (language, label, x, y) and the explained variance ratio of both axes
 * @throws XLING_SHAPE_MISMATCH when sets differ in width or labels do not match rows;
 *   XLING_INVALID_ARGUMENT on empty input or non-finite values.
 * @see sklearn.decomposition.PCA; sklearn.utils.extmath.svd_flip
 * @example
 * projectPrototypes([{ language: 'en', labels: ['NOUN', 'VERB'], prototypes: [[1, 0], [0, 1]] }]);
 */
export function projectPrototypes(
  sets: readonly PrototypeSetInput[],
  options: ProjectPrototypesOptions = {},
): PrototypeProjection {
  checkOptions(
    options,
    {
      task: { type: 'string', optional: true },
      layer: { type: 'integer', min: 0, optional: true },
      space: { type: 'string', optional: true },
    },
    'projectPrototypes',
  );
  const { rows, k } = stackRows(sets);
  const n = rows.length;
  const x = centred(rows, k);
  let totalVariance = 0;
  for (let t = 0; t < n * k; t++) totalVariance += x[t] * x[t];
  const { scores, eigen2 } = k <= n ? covarianceRoute(x, n, k) : gramRoute(x, n, k);
  signComponents(scores, eigen2, totalVariance);
  const ratio = (v: number) => (totalVariance > 0 ? v / totalVariance : 0);
  const out: PrototypeProjection = {
    explainedVarianceRatio: [ratio(eigen2[0]), ratio(eigen2[1])],
    points: rows.map((row, i) => ({
      language: row.language,
      label: row.label,
      x: scores[0][i],
      y: scores[1][i],
    })),
  };
  if (options?.task !== undefined) out.task = options.task;
  if (options?.layer !== undefined) out.layer = options.layer;
  if (options?.space !== undefined) out.space = options.space;
  return out;
}

interface Row {
  language: string;
  label: string;
  values: ArrayLike<number>;
}

/** Every set's prototype rows in input order, checked: labels match rows, one width for all. */
function stackRows(sets: readonly PrototypeSetInput[]): { rows: Row[]; k: number } {
  if (!Array.isArray(sets) || sets.length === 0) {
    throw new InvalidArgumentError(
      'sets',
      'projectPrototypes',
      'must be a non-empty array of prototype sets.',
    );
  }
  const rows: Row[] = [];
  let k = -1;
  sets.forEach((set, s) => {
    const m = asMatrix(set.prototypes, `sets[${s}].prototypes`, 'projectPrototypes');
    if (!Array.isArray(set.labels) || set.labels.length !== m.rows) {
      throw new ShapeMismatchError(
        `sets[${s}].labels`,
        'projectPrototypes',
        `${m.rows} labels, one per prototype row`,
        Array.isArray(set.labels) ? String(set.labels.length) : typeof set.labels,
      );
    }
    if (typeof set.language !== 'string') {
      throw new InvalidArgumentError(`sets[${s}].language`, 'projectPrototypes', 'must be a string.');
    }
    if (k === -1) k = m.cols;
    else if (m.cols !== k) {
      throw new ShapeMismatchError(
        `sets[${s}].prototypes`,
        'projectPrototypes',
        `${k} columns like 'sets[0]'`,
        String(m.cols),
      );
    }
    for (let r = 0; r < m.rows; r++) {
      rows.push({
        language: set.language,
        label: set.labels[r],
        values: m.data.subarray(r * m.cols, (r + 1) * m.cols),
      });
    }
  });
  if (rows.length === 0 || k <= 0) {
    throw new InvalidArgumentError(
      'sets',
      'projectPrototypes',
      'must contain at least one prototype with at least one dimension.',
    );
  }
  return { rows, k };
}

/** Column-centred data, row-major n × k, in float64. */
function centred(rows: Row[], k: number): Float64Array {
  const n = rows.length;
  const x = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rows[i].values[j];
    const mean = s / n;
    for (let i = 0; i < n; i++) x[i * k + j] = rows[i].values[j] - mean;
  }
  return x;
}

interface TwoComponents {
  scores: [Float64Array, Float64Array];
  eigen2: [number, number];
}

/** Covariance route: C = Xᵀ X (k × k); coordinates X v. */
function covarianceRoute(x: Float64Array, n: number, k: number): TwoComponents {
  const c = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * k + a] * x[i * k + b];
      c[a * k + b] = s;
      c[b * k + a] = s;
    }
  }
  const { values, vectors } = symmetricEigen(c, k);
  const out: TwoComponents = { scores: [new Float64Array(n), new Float64Array(n)], eigen2: [0, 0] };
  for (let comp = 0; comp < Math.min(2, k); comp++) {
    out.eigen2[comp] = Math.max(0, values[comp]);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += x[i * k + j] * vectors[j * k + comp];
      out.scores[comp][i] = s;
    }
  }
  return out;
}

/** Gram route: G = X Xᵀ (n × n); coordinates u sqrt(lambda). */
function gramRoute(x: Float64Array, n: number, k: number): TwoComponents {
  const g = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += x[a * k + j] * x[b * k + j];
      g[a * n + b] = s;
      g[b * n + a] = s;
    }
  }
  const { values, vectors } = symmetricEigen(g, n);
  const out: TwoComponents = { scores: [new Float64Array(n), new Float64Array(n)], eigen2: [0, 0] };
  for (let comp = 0; comp < Math.min(2, n); comp++) {
    out.eigen2[comp] = Math.max(0, values[comp]);
    const scale = Math.sqrt(out.eigen2[comp]);
    for (let i = 0; i < n; i++) out.scores[comp][i] = vectors[i * n + comp] * scale;
  }
  return out;
}

/**
 * Zeroes a component with (numerically) no variance and signs the others so that the
 * largest-magnitude coordinate is positive (svd_flip), in place.
 */
function signComponents(scores: Float64Array[], eigen2: number[], totalVariance: number): void {
  const tiny = 1e-24 * Math.max(totalVariance, Number.MIN_VALUE);
  const n = scores[0].length;
  for (let comp = 0; comp < 2; comp++) {
    if (eigen2[comp] <= tiny) {
      scores[comp].fill(0);
      eigen2[comp] = 0;
      continue;
    }
    let at = 0;
    for (let i = 1; i < n; i++) if (Math.abs(scores[comp][i]) > Math.abs(scores[comp][at])) at = i;
    if (scores[comp][at] < 0) for (let i = 0; i < n; i++) scores[comp][i] = -scores[comp][i];
  }
}
