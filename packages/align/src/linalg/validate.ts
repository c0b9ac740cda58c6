import {
  InvalidArgumentError,
  type Matrix,
  type MatrixLike,
  ShapeMismatchError,
  asMatrix,
} from '@xling/core';

/** Converts one data argument and checks it has at least `minRows` rows and one column. */
export function matrixArgument(
  x: MatrixLike,
  argument: string,
  functionName: string,
  minRows = 2,
): Matrix<Float64Array> {
  const m = asMatrix(x, argument, functionName);
  if (m.rows < minRows) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      `must have at least ${minRows} row${minRows === 1 ? '' : 's'}, but got ${m.rows}.`,
    );
  }
  if (m.cols < 1) {
    throw new InvalidArgumentError(argument, functionName, 'must have at least 1 column, but got 0.');
  }
  return m;
}

/** Converts a pair of data arguments with the same number of rows (and columns, when asked). */
export function matrixPair(
  x: MatrixLike,
  y: MatrixLike,
  functionName: string,
  options: { minRows?: number; sameColumns?: boolean; names?: readonly [string, string] } = {},
): [Matrix<Float64Array>, Matrix<Float64Array>] {
  const { minRows = 2, sameColumns = false, names = ['x', 'y'] } = options;
  const a = matrixArgument(x, names[0], functionName, minRows);
  const b = asMatrix(y, names[1], functionName);
  if (b.rows !== a.rows) {
    throw new ShapeMismatchError(names[1], functionName, `${a.rows} rows like '${names[0]}'`, String(b.rows));
  }
  if (sameColumns && b.cols !== a.cols) {
    throw new ShapeMismatchError(
      names[1],
      functionName,
      `${a.cols} columns like '${names[0]}'`,
      String(b.cols),
    );
  }
  if (b.cols < 1)
    throw new InvalidArgumentError(names[1], functionName, 'must have at least 1 column, but got 0.');
  return [a, b];
}
