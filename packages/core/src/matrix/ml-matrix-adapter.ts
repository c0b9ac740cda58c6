import { Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from './matrix.js';

/**
 * Converts to an ml-matrix `Matrix`, for its decompositions (SVD, QR, EVD). Use ml-matrix for
 * those only: its products are slow and its `mmulStrassen` is wrong above 512 x 512.
 */
export function toMlMatrix(m: Matrix): MlMatrix {
  const rows: Float64Array[] = [];
  for (let i = 0; i < m.rows; i++)
    rows.push(Float64Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return m.rows === 0 ? new MlMatrix(0, m.cols) : new MlMatrix(rows as unknown as number[][]);
}

/** Converts an ml-matrix `Matrix` (or any `rows`/`columns`/`get` object) to a float64 {@link Matrix}. */
export function fromMlMatrix(m: {
  rows: number;
  columns: number;
  get(i: number, j: number): number;
}): Matrix<Float64Array> {
  const data = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) data[i * m.columns + j] = m.get(i, j);
  return { rows: m.rows, cols: m.columns, data };
}
