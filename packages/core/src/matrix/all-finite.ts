/**
 * Whether every entry is finite, in one branch-free pass: `x - x` is 0 for a finite x and NaN for
 * NaN and +-Infinity, so the sum is 0 exactly when all are finite (callers scan for the first
 * bad entry only on failure). Four sums break the loop-carried dependency.
 */
export function allFinite(data: Float64Array): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = 0;
  for (; k + 4 <= data.length; k += 4) {
    a += data[k] - data[k];
    b += data[k + 1] - data[k + 1];
    c += data[k + 2] - data[k + 2];
    d += data[k + 3] - data[k + 3];
  }
  for (; k < data.length; k++) a += data[k] - data[k];
  return a + b + c + d === 0;
}
