import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Storage of a {@link Matrix}: float64 for math, float32 for stored representations. */
export type MatrixData = Float64Array | Float32Array;

/**
 * The one dense-matrix convention of xling: row-major, contiguous, entry (i, j) at
 * `data[i * cols + j]`. Plain data, so it crosses package, worker and file boundaries unchanged.
 */
export interface Matrix<D extends MatrixData = MatrixData> {
  readonly rows: number;
  readonly cols: number;
  readonly data: D;
}

/**
 * Creates a matrix over `data` (not copied), or a zero float64 matrix when `data` is omitted.
 * @throws XLING_INVALID_ARGUMENT when the shape is not a pair of non-negative integers or
 * `data.length !== rows * cols`.
 */
export function createMatrix<D extends MatrixData = Float64Array>(
  rows: number,
  cols: number,
  data?: D,
): Matrix<D> {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new InvalidArgumentError(
      'rows',
      'createMatrix',
      `must be a non-negative integer, but got ${rows}.`,
    );
  }
  if (!Number.isInteger(cols) || cols < 0) {
    throw new InvalidArgumentError(
      'cols',
      'createMatrix',
      `must be a non-negative integer, but got ${cols}.`,
    );
  }
  const storage = (data ?? new Float64Array(rows * cols)) as D;
  if (storage.length !== rows * cols) {
    throw new InvalidArgumentError(
      'data',
      'createMatrix',
      `must have rows * cols = ${rows * cols} entries, but got ${storage.length}.`,
    );
  }
  return { rows, cols, data: storage };
}

/** Row `i` of `m` as a view (no copy). */
export function matrixRow<D extends MatrixData>(m: Matrix<D>, i: number): D {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols) as D;
}

/** Builds a float64 matrix by picking `indices` rows of `m` (in that order). */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix<Float64Array> {
  const out = new Float64Array(indices.length * m.cols);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols);
  }
  return { rows: indices.length, cols: m.cols, data: out };
}

/** Converts a matrix to `number[][]` (for JSON, printing and tests). */
export function toArray2d(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Transpose into a new float64 matrix. */
export function transpose(m: Matrix): Matrix<Float64Array> {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  }
  return { rows: m.cols, cols: m.rows, data: out };
}
