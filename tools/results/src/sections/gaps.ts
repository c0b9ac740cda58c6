import type { ExperimentResult, GapSummary } from '@xling/eval';
import { gapCells, level } from '../eval-report-helpers.js';
import { count, listText, table, taskName } from '../markdown.js';

/** The high- minus low-resource gap per task and method, and what its change says. */
export function gapSection(result: ExperimentResult): string[] {
  const gaps = (result.gaps ?? []).filter((g) => g.gap);
  if (gaps.length === 0) return [];
  const first = gaps[0].gap!;
  const baseline = gaps.find((g) => g.gapChange)?.gapChange?.baseline;
  return [
    '## The gap between languages',
    '',
    `High-resource minus low-resource accuracy in points (${first.high.length} high-resource against ${count(first.low.length, 'low-resource target')}), ` +
      `with ${level(first)} bootstrap intervals over languages (${first.resamples} resamples)` +
      (baseline
        ? `; Δ gap is the change of the gap against ${baseline}, negative when the method narrows it, with its paired p-value.`
        : '.'),
    '',
    table(
      ['task', 'method', 'gap (high − low)', 'Δ gap', 'p'],
      gaps.map((g) => [taskName(g.task), g.method, ...gapCells(g).slice(4)]),
    ),
    '',
    ...verdict(gaps),
  ];
}

const named = (gaps: GapSummary[]) => listText(gaps.map((g) => `${g.method} (${taskName(g.task)})`));

/** Which methods narrow or widen the gap (Δ interval off 0) and for which the data cannot tell. */
function verdict(gaps: GapSummary[]): string[] {
  const changed = gaps.filter((g) => g.gapChange);
  if (changed.length === 0) return [];
  const narrows = changed.filter((g) => g.gapChange!.upper < 0);
  const widens = changed.filter((g) => g.gapChange!.lower > 0);
  const unclear = changed.filter((g) => !narrows.includes(g) && !widens.includes(g));
  if (unclear.length === changed.length)
    return [
      '**With this model and these settings the data cannot tell whether explicit alignment narrows the gap**: ' +
        'every interval of Δ gap contains 0.',
      '',
    ];
  const parts = [
    ...(narrows.length > 0 ? [`${named(narrows)} narrow${narrows.length === 1 ? 's' : ''} the gap`] : []),
    ...(widens.length > 0 ? [`${named(widens)} widen${widens.length === 1 ? 's' : ''} the gap`] : []),
    ...(unclear.length > 0 ? [`for ${named(unclear)} the data cannot tell`] : []),
  ];
  return [`By the interval of Δ gap, ${parts.join('; ')}.`, ''];
}
