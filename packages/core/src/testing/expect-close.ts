import type { MatrixLike } from '../matrix/as-matrix.js';
import { asMatrix } from '../matrix/as-matrix.js';

/** Tolerances of {@link expectClose}: passes when `|a - e| <= atol + rtol * |e|` (numpy's isclose). */
export interface ExpectCloseOptions {
  /** @defaultValue 1e-9 */
  rtol?: number;
  /** @defaultValue 1e-12 */
  atol?: number;
  /** Prefix for the failure message. */
  label?: string;
}

function flatten(x: number | ArrayLike<number> | MatrixLike): { values: ArrayLike<number>; shape: string } {
  if (typeof x === 'number') return { values: [x], shape: 'scalar' };
  if (ArrayBuffer.isView(x) || (Array.isArray(x) && (x.length === 0 || typeof x[0] === 'number'))) {
    return { values: x as ArrayLike<number>, shape: `[${(x as ArrayLike<number>).length}]` };
  }
  const m = asMatrix(x as MatrixLike, 'actual', 'expectClose', { allowNonFinite: true });
  return { values: m.data, shape: `${m.rows}x${m.cols}` };
}

/**
 * Asserts that `actual` and `expected` (numbers, vectors or matrices) agree elementwise within
 * tolerance; the error names the worst entry. NaN equals NaN only where both are NaN.
 */
export function expectClose(
  actual: number | ArrayLike<number> | MatrixLike,
  expected: number | ArrayLike<number> | MatrixLike,
  options: ExpectCloseOptions = {},
): void {
  const { rtol = 1e-9, atol = 1e-12, label = 'values' } = options;
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.values.length !== e.values.length) {
    throw new Error(`${label}: shape ${a.shape} differs from expected ${e.shape}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = e.values[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      worst = i;
      worstExcess = Number.POSITIVE_INFINITY;
      break;
    }
    if (x === y) continue;
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    const x = a.values[worst];
    const y = e.values[worst];
    throw new Error(
      `${label}: entry ${worst} of ${a.values.length} is ${x}, expected ${y} (|diff| ${Math.abs(x - y)} > atol ${atol} + rtol ${rtol} * |expected|)`,
    );
  }
}
