import { InvalidArgumentError, ShapeMismatchError } from '@xling/core';

/** Checks two numeric vectors of equal length >= `min` with finite entries; returns float64 copies. */
export function vectorPair(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  functionName: string,
  min = 2,
  names: readonly [string, string] = ['a', 'b'],
): [Float64Array, Float64Array] {
  const out: Float64Array[] = [];
  for (const [v, name] of [
    [a, names[0]],
    [b, names[1]],
  ] as const) {
    if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
      throw new InvalidArgumentError(
        name,
        functionName,
        `must be an array of numbers, but got ${v === null ? 'null' : typeof v}.`,
      );
    }
    const f = Float64Array.from(v as ArrayLike<number>);
    for (let i = 0; i < f.length; i++) {
      if (!Number.isFinite(f[i])) {
        throw new InvalidArgumentError(
          name,
          functionName,
          `must hold finite numbers, but entry ${i} is ${(v as ArrayLike<number>)[i]}.`,
        );
      }
    }
    out.push(f);
  }
  if (out[0].length < min) {
    throw new InvalidArgumentError(
      names[0],
      functionName,
      `must have at least ${min} entries, but got ${out[0].length}.`,
    );
  }
  if (out[1].length !== out[0].length) {
    throw new ShapeMismatchError(
      names[1],
      functionName,
      `${out[0].length} entries like '${names[0]}'`,
      String(out[1].length),
    );
  }
  return [out[0], out[1]];
}

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata(method='average')). */
export function averageRanks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => values[x] - values[y] || x - y);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * Pearson correlation, two-pass (centre, then normalise) for accuracy; null when either vector
 * is constant (the coefficient is undefined; scipy returns nan).
 */
export function pearsonOrNull(a: Float64Array, b: Float64Array): number | null {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma;
    const y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  if (saa === 0 || sbb === 0) return null;
  const r = sab / Math.sqrt(saa) / Math.sqrt(sbb);
  return Math.max(-1, Math.min(1, r));
}

/**
 * Kendall's tau-b in O(n log n) (Knight 1966): sort by (a, b), count ties, then count the
 * discordant pairs as the swaps of a merge sort on b. Null when either vector is constant.
 * @see scipy.stats.kendalltau (variant 'b'); Knight, JASA 61 (1966)
 */
export function kendallTauBOrNull(a: Float64Array, b: Float64Array): number | null {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x] - a[y] || b[x] - b[y]);
  const total = (n * (n - 1)) / 2;
  let tiesA = 0;
  let tiesJoint = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && a[order[j + 1]] === a[order[i]]) j++;
    const run = j - i + 1;
    tiesA += (run * (run - 1)) / 2;
    let s = i;
    while (s <= j) {
      let t = s;
      while (t + 1 <= j && b[order[t + 1]] === b[order[s]]) t++;
      const r = t - s + 1;
      tiesJoint += (r * (r - 1)) / 2;
      s = t + 1;
    }
    i = j + 1;
  }
  const values = Float64Array.from(order, (k) => b[k]);
  const buffer = new Float64Array(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n - width; lo += 2 * width) {
      const mid = lo + width;
      const hi = Math.min(lo + 2 * width, n);
      let p = lo;
      let q = mid;
      let o = lo;
      while (p < mid && q < hi) {
        if (values[q] < values[p]) {
          buffer[o++] = values[q++];
          swaps += mid - p;
        } else {
          buffer[o++] = values[p++];
        }
      }
      while (p < mid) buffer[o++] = values[p++];
      while (q < hi) buffer[o++] = values[q++];
      for (let t = lo; t < hi; t++) values[t] = buffer[t];
    }
  }
  let tiesB = 0;
  i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[j + 1] === values[i]) j++;
    const run = j - i + 1;
    tiesB += (run * (run - 1)) / 2;
    i = j + 1;
  }
  const denominator = Math.sqrt((total - tiesA) * (total - tiesB));
  if (denominator === 0) return null;
  const concordantMinusDiscordant = total - tiesA - tiesB + tiesJoint - 2 * swaps;
  return Math.max(-1, Math.min(1, concordantMinusDiscordant / denominator));
}
