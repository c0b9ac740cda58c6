import type {
  AlignabilityMatrix,
  ExperimentResult,
  GapSummary,
  IntervalSummary,
} from './experiment-result.js';

/** `0.8312` → `83.1`. */
export function percent(v: number, digits = 1): string {
  return (v * 100).toFixed(digits);
}

/** `83.1 [81.0, 85.2]` (percent, with interval when present). */
export function percentWithInterval(v: number, ci?: { lower: number; upper: number }): string {
  return ci ? `${percent(v)} [${percent(ci.lower)}, ${percent(ci.upper)}]` : percent(v);
}

/** Signed number with fixed digits in percentage points: `+3.2`. */
export function signedPoints(v: number): string {
  const s = percent(v);
  return v > 0 ? `+${s}` : s;
}

/** Confidence level text: alpha 0.05 → `95%`. */
export function level(ci: IntervalSummary | { alpha: number }): string {
  return `${Number(((1 - ci.alpha) * 100).toPrecision(4))}%`;
}

/** A short number for matrix tables. */
export function fixed(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined ? '–' : v.toFixed(digits);
}

/** The report title. */
export function titleOf(result: ExperimentResult): string {
  return result.run.title ?? 'xling experiment report';
}

/** Mean of off-diagonal non-null entries (a one-number summary of an alignability matrix). */
export function offDiagonalMean(values: (number | null)[][] | undefined): number | undefined {
  if (!values) return undefined;
  let s = 0;
  let n = 0;
  values.forEach((row, i) => {
    row.forEach((v, j) => {
      if (i !== j && v !== null) {
        s += v;
        n++;
      }
    });
  });
  return n === 0 ? undefined : s / n;
}

/** Caption of an alignability matrix. */
export function matrixCaption(m: AlignabilityMatrix): string {
  return `${m.metric}, ${m.task.toUpperCase()}, layer ${m.layer} (${m.higherIsBetter ? 'higher' : 'lower'} = more alignable)`;
}

/**
 * The cells every gap table shares, after its task and method columns: mean, std, range and IQR
 * of the per-language scores, the high − low gap with its interval, the change of the gap against
 * the baseline with its interval, and that change's p-value.
 */
export function gapCells(g: GapSummary): string[] {
  return [
    percent(g.spread.mean),
    percent(g.spread.std),
    percent(g.spread.range),
    percent(g.spread.iqr),
    g.gap ? `${signedPoints(g.gap.gap)} [${signedPoints(g.gap.lower)}, ${signedPoints(g.gap.upper)}]` : '–',
    g.gapChange
      ? `${signedPoints(g.gapChange.difference)} [${signedPoints(g.gapChange.lower)}, ${signedPoints(g.gapChange.upper)}] vs ${g.gapChange.baseline}`
      : '–',
    g.gapChange ? g.gapChange.pValue.toFixed(3) : '–',
  ];
}
