/**
 * Quantile of already sorted values with numpy's default `method='linear'` (Hyndman & Fan type 7),
 * including numpy's two-sided lerp, so results match `np.quantile` bit for bit in most cases.
 *
 * @see numpy.lib.function_base._quantile and _lerp (numpy 1.24)
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * q;
  let previous = Math.floor(virtual);
  if (previous < 0) previous = 0;
  if (previous > n - 1) previous = n - 1;
  const next = Math.min(previous + 1, n - 1);
  const t = virtual - previous;
  const a = sorted[previous];
  const b = sorted[next];
  const diff = b - a;
  // numpy computes a + diff*t, then overwrites with b - diff*(1-t) where t >= 0.5 (more accurate near b).
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Ascending copy as a Float64Array. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values as ArrayLike<number>);
  out.sort();
  return out;
}

/** Mean with left-to-right summation. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}
