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
  if (!Array.isArray(sets) || sets.length === 0) {
    throw new InvalidArgumentError(
      'sets',
      'projectPrototypes',
      'must be a non-empty array of prototype sets.',
    );
  }
  const rows: { language: string; label: string; values: ArrayLike<number> }[] = [];
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
  const n = rows.length;
  if (n === 0 || k <= 0) {
    throw new InvalidArgumentError(
      'sets',
      'projectPrototypes',
      'must contain at least one prototype with at least one dimension.',
    );
  }
  // Centred data, row-major n × k, in float64.
  const x = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rows[i].values[j];
    const mean = s / n;
    for (let i = 0; i < n; i++) x[i * k + j] = rows[i].values[j] - mean;
  }
  let totalVariance = 0;
  for (let t = 0; t < n * k; t++) totalVariance += x[t] * x[t];

  const scores = [new Float64Array(n), new Float64Array(n)];
  const eigen2 = [0, 0];
  if (k <= n) {
    // Covariance route: C = Xᵀ X (k × k); coordinates X v.
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
    for (let comp = 0; comp < Math.min(2, k); comp++) {
      eigen2[comp] = Math.max(0, values[comp]);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += x[i * k + j] * vectors[j * k + comp];
        scores[comp][i] = s;
      }
    }
  } else {
    // Gram route: G = X Xᵀ (n × n); coordinates u sqrt(lambda).
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
    for (let comp = 0; comp < Math.min(2, n); comp++) {
      eigen2[comp] = Math.max(0, values[comp]);
      const scale = Math.sqrt(eigen2[comp]);
      for (let i = 0; i < n; i++) scores[comp][i] = vectors[i * n + comp] * scale;
    }
  }
  // A component with (numerically) no variance is drawn at 0.
  const tiny = 1e-24 * Math.max(totalVariance, Number.MIN_VALUE);
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
