import { InvalidArgumentError, type Matrix } from '@xling/core';

/** A statistic of two paired item sets, e.g. `(x, y) => rsa(x, y)` or `procrustesDisparity`. */
export type PairStatistic = (x: Matrix<Float64Array>, y: Matrix<Float64Array>) => number;

/** Runs the statistic and checks it returned a finite number. */
export function evaluate(
  statistic: PairStatistic,
  x: Matrix<Float64Array>,
  y: Matrix<Float64Array>,
  functionName: string,
): number {
  const v = statistic(x, y);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InvalidArgumentError(
      'statistic',
      functionName,
      `must return a finite number, but returned ${String(v)}.`,
    );
  }
  return v;
}

export function checkStatistic(statistic: unknown, functionName: string): asserts statistic is PairStatistic {
  if (typeof statistic !== 'function') {
    throw new InvalidArgumentError(
      'statistic',
      functionName,
      `must be a function (x, y) => number, but got ${typeof statistic}.`,
    );
  }
}

/** Rows of `m` in the order `indices`. */
export function pickRows(m: Matrix<Float64Array>, indices: ArrayLike<number>): Matrix<Float64Array> {
  const out = new Float64Array(indices.length * m.cols);
  for (let r = 0; r < indices.length; r++)
    out.set(m.data.subarray(indices[r] * m.cols, (indices[r] + 1) * m.cols), r * m.cols);
  return { rows: indices.length, cols: m.cols, data: out };
}

/** Fisher-Yates permutation of 0..n-1 drawn from `next()` uniform in [0, 1) via `int`. */
export function permutation(n: number, int: (k: number) => number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
