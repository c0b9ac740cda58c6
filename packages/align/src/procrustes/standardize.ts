import { InvalidArgumentError, type Matrix } from '@xling/core';
import { centerColumns, frobeniusNorm } from '../linalg/center.js';

/**
 * scipy.spatial.procrustes' standardisation: centre the columns, divide by the Frobenius norm.
 * @throws XLING_INVALID_ARGUMENT when every row is the same point (scipy's ValueError).
 */
export function standardize(m: Matrix<Float64Array>, argument: string, functionName: string): Float64Array {
  const { centered } = centerColumns(m);
  const norm = frobeniusNorm(centered);
  if (norm === 0) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      'must contain more than one distinct row, but all rows are the same point.',
    );
  }
  for (let k = 0; k < centered.length; k++) centered[k] /= norm;
  return centered;
}
