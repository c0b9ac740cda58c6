import { allFinite } from './all-finite.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Matrix } from './matrix.js';

/**
 * The structural part of an ml-matrix `Matrix` that xling reads (`rows`, `columns`, `get`), so
 * ml-matrix objects are accepted without importing ml-matrix here.
 */
export interface MlMatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

/** What public numeric functions accept: xling's {@link Matrix}, `number[][]` or an ml-matrix. */
export type MatrixLike = Matrix | readonly (readonly number[])[] | MlMatrixLike;

/** Options of {@link asMatrix}. */
export interface AsMatrixOptions {
  /**
   * Accept NaN and ±Infinity entries.
   * @defaultValue false
   */
  allowNonFinite?: boolean;
  /**
   * Copy the data even when it is already a float64 {@link Matrix}, so the caller may mutate it.
   * @defaultValue false
   */
  copy?: boolean;
}

function isMatrix(x: unknown): x is Matrix {
  const m = x as Matrix;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.rows === 'number' &&
    typeof m.cols === 'number' &&
    (m.data instanceof Float64Array || m.data instanceof Float32Array)
  );
}

function isMlMatrix(x: unknown): x is MlMatrixLike {
  const m = x as MlMatrixLike;
  return typeof m === 'object' && m !== null && typeof m.columns === 'number' && typeof m.get === 'function';
}

/**
 * Converts any {@link MatrixLike} to a float64 {@link Matrix} at a public entry point, the one
 * place where input is coerced and checked. Errors name the argument and the function, like
 * tfjs' `convertToTensor(x, 'x', 'add')`.
 *
 * @param x - the input
 * @param argument - the argument's name, used in error messages
 * @param functionName - the public function's name, used in error messages
 * @throws XLING_INVALID_ARGUMENT for ragged or non-numeric rows, and for NaN/Infinity unless
 * `allowNonFinite`.
 */
export function asMatrix(
  x: MatrixLike,
  argument: string,
  functionName: string,
  options: AsMatrixOptions = {},
): Matrix<Float64Array> {
  const { allowNonFinite = false, copy = false } = options;
  let out: Matrix<Float64Array>;
  if (isMatrix(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw new InvalidArgumentError(
        argument,
        functionName,
        `has rows * cols = ${x.rows * x.cols} but ${x.data.length} entries.`,
      );
    }
    const data = x.data instanceof Float64Array && !copy ? x.data : Float64Array.from(x.data);
    out = { rows: x.rows, cols: x.cols, data };
  } else if (Array.isArray(x)) {
    const rows = x.length;
    const cols = rows === 0 ? 0 : (x[0] as readonly number[]).length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as readonly number[];
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
        throw new InvalidArgumentError(
          argument,
          functionName,
          `must be an array of rows, but row ${i} is ${typeof row}.`,
        );
      }
      if (row.length !== cols) {
        throw new InvalidArgumentError(
          argument,
          functionName,
          `must have rows of equal length, but row 0 has ${cols} and row ${i} has ${row.length}.`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new InvalidArgumentError(
            argument,
            functionName,
            `must hold numbers, but [${i}][${j}] is ${typeof v}.`,
          );
        }
        data[i * cols + j] = v;
      }
    }
    out = { rows, cols, data };
  } else if (isMlMatrix(x)) {
    const data = new Float64Array(x.rows * x.columns);
    for (let i = 0; i < x.rows; i++)
      for (let j = 0; j < x.columns; j++) data[i * x.columns + j] = x.get(i, j);
    out = { rows: x.rows, cols: x.columns, data };
  } else {
    throw new InvalidArgumentError(
      argument,
      functionName,
      `must be a Matrix, number[][] or ml-matrix Matrix, but got ${x === null ? 'null' : typeof x}.`,
    );
  }
  if (!allowNonFinite && !allFinite(out.data)) {
    const { data, cols } = out;
    for (let k = 0; k < data.length; k++) {
      if (!Number.isFinite(data[k])) {
        const i = Math.floor(k / cols);
        throw new InvalidArgumentError(
          argument,
          functionName,
          `must hold finite numbers, but entry [${i}][${k - i * cols}] is ${data[k]}.`,
        );
      }
    }
  }
  return out;
}
