import { checkOptions, InvalidArgumentError } from '@xling/core';
import { mean, quantileSorted, sortedCopy } from './quantile.js';

/** Options of {@link accuracySpread}. */
export interface AccuracySpreadOptions {
  /** Delta degrees of freedom of the standard deviation (numpy's `ddof`). @defaultValue 0 */
  ddof?: 0 | 1;
}

/** How spread out per-language scores are. */
export interface AccuracySpread {
  /** Number of languages. */
  n: number;
  mean: number;
  /** Standard deviation with `ddof` (numpy `np.std`). */
  std: number;
  min: number;
  max: number;
  /** `max - min`. */
  range: number;
  /** 25th percentile (numpy linear). */
  q1: number;
  median: number;
  /** 75th percentile (numpy linear). */
  q3: number;
  /** `q3 - q1`. */
  iqr: number;
  /** Language with the lowest score (first in input order on ties); absent for array input. */
  lowest?: string;
  /** Language with the highest score; absent for array input. */
  highest?: string;
}

/**
 * Spread of a score across languages: standard deviation, range and interquartile range, the
 * quantities to compare between methods when asking whether explicit alignment "narrows the gap
 * between languages".
 *
 * @param scores - per-language scores (`{ de: 0.91, wo: 0.62 }`) or a plain array
 * @throws XLING_INVALID_ARGUMENT on an empty input or a non-finite score (naming the language).
 * @see numpy.std, numpy.percentile (method='linear')
 * @example
 * accuracySpread({ de: 0.9, fi: 0.8, wo: 0.6 }).range; // 0.30000000000000004
 */
export function accuracySpread(
  scores: Readonly<Record<string, number>> | readonly number[],
  options: AccuracySpreadOptions = {},
): AccuracySpread {
  checkOptions(options, { ddof: { type: 'integer', min: 0, max: 1, optional: true } }, 'accuracySpread');
  const { ddof = 0 } = options ?? {};
  const { names, values } = scoreEntries(scores, 'scores', 'accuracySpread');
  const n = values.length;
  if (n <= ddof) {
    throw new InvalidArgumentError(
      'scores',
      'accuracySpread',
      `must hold more than ddof = ${ddof} scores, but got ${n}.`,
    );
  }
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  const sorted = sortedCopy(values);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const out: AccuracySpread = {
    n,
    mean: m,
    std: Math.sqrt(ss / (n - ddof)),
    min: sorted[0],
    max: sorted[n - 1],
    range: sorted[n - 1] - sorted[0],
    q1,
    median: quantileSorted(sorted, 0.5),
    q3,
    iqr: q3 - q1,
  };
  if (names !== undefined) {
    let lo = 0;
    let hi = 0;
    for (let i = 1; i < n; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    out.lowest = names[lo];
    out.highest = names[hi];
  }
  return out;
}

/** Validated names and values of a score record or array. */
export function scoreEntries(
  scores: Readonly<Record<string, number>> | readonly number[],
  argument: string,
  functionName: string,
): { names: string[] | undefined; values: number[] } {
  if (typeof scores !== 'object' || scores === null) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      `must be an object of per-language scores or an array, but got ${scores === null ? 'null' : typeof scores}.`,
    );
  }
  const isArray = Array.isArray(scores);
  const entries: [string, unknown][] = isArray
    ? (scores as readonly number[]).map((v, i) => [String(i), v])
    : Object.entries(scores);
  if (entries.length === 0) {
    throw new InvalidArgumentError(argument, functionName, 'must not be empty, but got 0 scores.');
  }
  for (const [key, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(
        isArray ? `${argument}[${key}]` : `${argument}.${key}`,
        functionName,
        `must be a finite number, but got ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}.`,
      );
    }
  }
  return {
    names: isArray ? undefined : entries.map(([k]) => k),
    values: entries.map(([, v]) => v as number),
  };
}
