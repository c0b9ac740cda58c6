import { InvalidArgumentError, type Matrix, type MatrixLike, asMatrix } from '@xling/core';

/**
 * Like `asMatrix`, but a {@link Matrix} input is validated and returned as is (float32 stays
 * float32, nothing is copied): instance sets of large treebanks would otherwise double in
 * memory. Other inputs are converted to float64 by `asMatrix`.
 */
export function asMatrixView(x: MatrixLike, argument: string, functionName: string): Matrix {
  const m = x as Matrix;
  if (
    typeof m !== 'object' ||
    m === null ||
    !(m.data instanceof Float32Array || m.data instanceof Float64Array) ||
    typeof m.rows !== 'number' ||
    typeof m.cols !== 'number'
  ) {
    return asMatrix(x, argument, functionName);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      `has rows * cols = ${m.rows * m.cols} but ${m.data.length} entries.`,
    );
  }
  const { data, cols } = m;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new InvalidArgumentError(
        argument,
        functionName,
        `must hold finite numbers, but entry [${r}][${i - r * cols}] is ${data[i]}.`,
      );
    }
  }
  return m;
}
