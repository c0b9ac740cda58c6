/**
 * How many demonstrations fit: the largest `j` with `prefixLengths[j] + needed <= maxPositions`,
 * where `prefixLengths[j]` is the length of BOS and the first `j` demonstrations (demonstrations
 * are dropped from the end); -1 when not even the bare prompt fits.
 *
 * @example
 * fitDemonstrations([1, 20, 41], 30, 64); // 1
 */
export function fitDemonstrations(
  prefixLengths: readonly number[],
  needed: number,
  maxPositions: number,
): number {
  let k = prefixLengths.length - 1;
  while (k >= 0 && prefixLengths[k] + needed > maxPositions) k--;
  return k;
}
