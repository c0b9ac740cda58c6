import type { Matrix } from '../matrix/matrix.js';
import { createRng, type Rng } from '../random/rng.js';

/** A `rows x cols` float64 matrix of standard normal draws from `seed` (or an {@link Rng}). */
export function randomMatrix(rows: number, cols: number, seed: number | Rng = 0): Matrix<Float64Array> {
  const rng = typeof seed === 'number' ? createRng(seed) : seed;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { rows, cols, data };
}
