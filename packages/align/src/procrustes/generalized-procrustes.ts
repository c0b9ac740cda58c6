import {
  InvalidArgumentError,
  type Matrix,
  type MatrixLike,
  ShapeMismatchError,
  checkOptions,
} from '@xling/core';
import { matrixArgument } from '../linalg/validate.js';
import { type Reflection, applyRotation, solveProcrustes } from './procrustes-core.js';
import { standardize } from './standardize.js';

/** Options of {@link generalizedProcrustes}. */
export interface GeneralizedProcrustesOptions {
  /**
   * Stop when the residual sum of squares decreases by less than this between iterations.
   * @defaultValue 1e-12
   */
  tolerance?: number;
  /** @defaultValue 100 */
  maxIterations?: number;
  /** @defaultValue 'allow' */
  reflection?: Reflection;
}

/** Result of {@link generalizedProcrustes}. */
export interface GeneralizedProcrustesResult {
  /** Each input standardised (centred, unit norm) and rotated onto the consensus. */
  aligned: Matrix<Float64Array>[];
  /** The consensus: mean of the aligned configurations. */
  consensus: Matrix<Float64Array>;
  /** Residual sum of squares `sum_i ||aligned_i - consensus||^2` at the end. */
  residual: number;
  /** Iterations run (each aligns every configuration once). */
  iterations: number;
  /** Whether the change in residual fell below `tolerance` within `maxIterations`. */
  converged: boolean;
}

/**
 * Generalised Procrustes analysis (Gower 1975) of k paired configurations (e.g. the same
 * concepts' prototypes in k languages): each is centred and scaled to unit Frobenius norm, then
 * all are rotated in turn onto a consensus (initially the first configuration) and the consensus
 * is replaced by their mean, until the residual sum of squares stops decreasing by more than
 * `tolerance` or `maxIterations` is reached; both are reported. Rotations only: configurations
 * keep unit size. Uses the thin Procrustes path when 2n < d.
 *
 * @param matrices - k >= 2 configurations of the same shape n x d (n >= 2)
 * @throws XLING_INVALID_ARGUMENT for fewer than 2 matrices, NaN/Infinity, a constant matrix;
 * XLING_SHAPE_MISMATCH when shapes differ.
 * @see Gower, "Generalized Procrustes analysis", Psychometrika 40 (1975)
 * @example
 * const { consensus, converged } = generalizedProcrustes([english, german, hindi]);
 */
export function generalizedProcrustes(
  matrices: readonly MatrixLike[],
  options: GeneralizedProcrustesOptions = {},
): GeneralizedProcrustesResult {
  const fn = 'generalizedProcrustes';
  checkOptions(
    options,
    {
      tolerance: { type: 'number', min: 0 },
      maxIterations: { type: 'integer', min: 1 },
      reflection: { type: 'enum', values: ['allow', 'forbid'] },
    },
    fn,
  );
  const { tolerance = 1e-12, maxIterations = 100, reflection = 'allow' } = options;
  if (!Array.isArray(matrices) || matrices.length < 2) {
    throw new InvalidArgumentError(
      'matrices',
      fn,
      `must hold at least 2 matrices, but got ${Array.isArray(matrices) ? matrices.length : typeof matrices}.`,
    );
  }
  const inputs = matrices.map((m, i) => matrixArgument(m, `matrices[${i}]`, fn));
  const { rows: n, cols: d } = inputs[0];
  inputs.forEach((m, i) => {
    if (m.rows !== n || m.cols !== d) {
      throw new ShapeMismatchError(
        `matrices[${i}]`,
        fn,
        `shape ${n} x ${d} like 'matrices[0]'`,
        `${m.rows} x ${m.cols}`,
      );
    }
  });
  const standardized = inputs.map((m, i) => standardize(m, `matrices[${i}]`, fn));
  const k = standardized.length;
  let consensus = Float64Array.from(standardized[0]);
  let aligned = standardized;
  let previous = Number.POSITIVE_INFINITY;
  let residual = Number.POSITIVE_INFINITY;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    aligned = standardized.map((x) =>
      applyRotation(x, n, solveProcrustes(x, consensus, n, d, reflection).rotation),
    );
    const next = new Float64Array(n * d);
    for (const y of aligned) for (let t = 0; t < next.length; t++) next[t] += y[t];
    for (let t = 0; t < next.length; t++) next[t] /= k;
    consensus = next;
    residual = 0;
    for (const y of aligned) for (let t = 0; t < y.length; t++) residual += (y[t] - consensus[t]) ** 2;
    if (previous - residual <= tolerance) {
      converged = true;
      break;
    }
    previous = residual;
  }
  return {
    aligned: aligned.map((data) => ({ rows: n, cols: d, data })),
    consensus: { rows: n, cols: d, data: consensus },
    residual,
    iterations,
    converged,
  };
}
