import { InvalidArgumentError } from '@xling/core';

/** Mean and standard error of per-run accuracies. */
export interface AccuracySummary {
  mean: number;
  /** Sample standard deviation over √runs; null for a single run. */
  standardError: number | null;
  perRun: number[];
}

/**
 * Mean ± standard error over runs (Blevins et al. report 5 demonstration sets this way).
 *
 * @throws XLING_INVALID_ARGUMENT for no runs.
 * @example
 * summarizeAccuracy([0.5, 0.7]); // { mean: 0.6, standardError: 0.1, perRun: [0.5, 0.7] }
 */
export function summarizeAccuracy(perRun: readonly number[]): AccuracySummary {
  const n = perRun.length;
  if (n === 0)
    throw new InvalidArgumentError(
      'perRun',
      'summarizeAccuracy',
      'must hold at least one run, but got none.',
    );
  const mean = perRun.reduce((sum, v) => sum + v, 0) / n;
  if (n < 2) return { mean, standardError: null, perRun: [...perRun] };
  const variance = perRun.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return { mean, standardError: Math.sqrt(variance / n), perRun: [...perRun] };
}
