import { type Matrix, type MatrixLike, checkOptions } from '@xling/core';
import type { ProductEngine } from '../linalg/product-engine.js';
import { COMPUTE_CONSTRAINTS, computeOf } from '../linalg/threads.js';
import { matrixPair } from '../linalg/validate.js';
import { type Reflection, denseRotation, solveProcrustes } from './procrustes-core.js';

/** Options of {@link orthogonalProcrustes}. */
export interface OrthogonalProcrustesOptions {
  /**
   * `'allow'` (scipy): the best orthogonal matrix, which may be a reflection (det -1).
   * `'forbid'`: the best proper rotation (det +1, Kabsch's correction).
   * @defaultValue 'allow'
   */
  reflection?: Reflection;
  /**
   * Threads for the large n-row products (`a^T b`): 1 computes everything on the calling thread;
   * more splits the rows over that many threads (the caller plus worker_threads, started on first
   * use, `unref`'d, stopped by `terminateAlignWorkers()`). `os.availableParallelism()` is what big
   * inputs want. Results agree with `threads: 1` to ~1e-14 relative, not bitwise (the partial sums
   * are added in another order), and are identical run to run for the same thread count. Products
   * under ~8M multiply-adds stay on the calling thread.
   * @defaultValue 1
   */
  threads?: number;
  /**
   * Runs the large products (`a^T b`, `U V^T`) on a native engine instead of the built-in wasm
   * kernels, e.g. `onnxruntimeEngine()` from `@xling/align-onnxruntime`; `threads` then only
   * governs the rest. Results agree with the built-in kernels to ~1e-14 relative.
   */
  engine?: ProductEngine;
}

/** Result of {@link orthogonalProcrustes}. */
export interface OrthogonalProcrustesResult {
  /** The orthogonal d x d matrix R minimising `||a R - b||_F`. */
  rotation: Matrix<Float64Array>;
  /** Sum of the singular values of `a^T b` (scipy's `scale`). */
  scale: number;
}

/**
 * The orthogonal matrix R that most closely maps `a` onto `b` (minimises `||a R - b||_F`),
 * with `scipy.linalg.orthogonal_procrustes` semantics: `R = U V^T` from the SVD of `a^T b` and
 * `scale` the sum of its singular values. No centring or scaling of the inputs.
 *
 * When 2n < d the exact thin path is used: an orthonormal basis Z of the joint row space of `a`
 * and `b` (one QR), a 2n x 2n SVD, and `R = I + Z^T (G - I) Z`. On the data's row spaces R is
 * the unique minimiser; on the complement (where scipy's LAPACK answer is arbitrary) it is the
 * identity, which is the minimal-movement choice.
 *
 * @param a - source (shape n x d, n >= 1)
 * @param b - target (shape n x d)
 * @param options - {@link OrthogonalProcrustesOptions}
 * @returns `{ rotation, scale }`
 * @throws XLING_SHAPE_MISMATCH when the shapes differ; XLING_INVALID_ARGUMENT for empty input
 * or NaN/Infinity.
 * @see scipy.linalg.orthogonal_procrustes; Schönemann, "A generalized solution of the orthogonal
 * Procrustes problem", Psychometrika 31 (1966); Kabsch, Acta Cryst. A32 (1976)
 * @example
 * orthogonalProcrustes([[1, 0], [0, 1]], [[0, 1], [-1, 0]]).rotation; // [[0, 1], [-1, 0]]
 */
export function orthogonalProcrustes(
  a: MatrixLike,
  b: MatrixLike,
  options: OrthogonalProcrustesOptions = {},
): OrthogonalProcrustesResult {
  checkOptions(
    options,
    { reflection: { type: 'enum', values: ['allow', 'forbid'] }, ...COMPUTE_CONSTRAINTS },
    'orthogonalProcrustes',
  );
  const { reflection = 'allow' } = options;
  const [x, y] = matrixPair(a, b, 'orthogonalProcrustes', {
    minRows: 1,
    sameColumns: true,
    names: ['a', 'b'],
  });
  const { rotation, nuclear } = solveProcrustes(
    x.data,
    y.data,
    x.rows,
    x.cols,
    reflection,
    computeOf(options),
  );
  return { rotation: { rows: x.cols, cols: x.cols, data: denseRotation(rotation) }, scale: nuclear };
}
