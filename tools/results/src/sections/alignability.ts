import type { AlignabilityMatrix, ExperimentResult, Task } from '@xling/eval';
import { bestLayerPoint, fixed, offDiagonalMean, prototypesSentence } from '../eval-report-helpers.js';
import { listText, perTask, table, taskName } from '../markdown.js';

const METRICS: Record<string, string> = {
  procrustes: 'Procrustes disparity',
  rsa: 'RSA',
  'linear-cka': 'linear CKA',
};
const metricName = (metric: string) => METRICS[metric] ?? metric;

/** Pairs i < j of a matrix with a value. */
function pairs(m: AlignabilityMatrix): [number, number][] {
  return m.languages.flatMap((_, i) =>
    m.languages.flatMap((_, j): [number, number][] => (j > i && m.values[i][j] !== null ? [[i, j]] : [])),
  );
}

/** Whether `a` is more alignable than `b` under the matrix's metric. */
const better = (m: AlignabilityMatrix, a: number, b: number) => (m.higherIsBetter ? a > b : a < b);

/** Means per task and metric at the main layer, their controls and permutation tests, then the other prototypes and layers. */
export function alignabilitySection(result: ExperimentResult): string[] {
  const { run } = result;
  const main = (result.alignability ?? []).filter((m) => m.layer === run.layer);
  if (main.length === 0) return [];
  const sentence = prototypesSentence(run.prototypes);
  return [
    `## Alignability (layer ${run.layer}, mean over ${pairs(main[0]).length.toLocaleString('en')} language pairs)`,
    '',
    ...(sentence ? [sentence, ''] : []),
    table(
      ['task', 'metric', 'mean', 'random-label control', 'pairs with p < 0.05'],
      main.map((m) => [
        taskName(m.task),
        `${metricName(m.metric)} (${m.higherIsBetter ? 'higher' : 'lower'} = more alignable)`,
        fixed(offDiagonalMean(m.values)),
        fixed(offDiagonalMean(m.control)),
        m.pValues ? String(significantPairs(m)) : '–',
      ]),
    ),
    '',
    ...[controlSentence(main), permutationSentence(main), ...otherPrototypes(result, main), ...sweep(result)]
      .filter((s) => s !== '')
      .flatMap((s) => [s, '']),
  ];
}

function significantPairs(m: AlignabilityMatrix): number {
  return pairs(m).filter(([i, j]) => (m.pValues?.[i]?.[j] ?? 1) < 0.05).length;
}

function controlSentence(main: AlignabilityMatrix[]): string {
  const controlled = main.filter((m) => offDiagonalMean(m.control) !== undefined);
  if (controlled.length === 0) return '';
  const beaten = controlled.filter((m) => better(m, offDiagonalMean(m.values)!, offDiagonalMean(m.control)!));
  const subject =
    beaten.length === controlled.length
      ? 'Every metric is more alignable than its'
      : `${beaten.length} of ${controlled.length} task × metric means are more alignable than their`;
  return `${subject} random-label control (the same measure with the fitting labels shuffled).`;
}

function permutationSentence(main: AlignabilityMatrix[]): string {
  const tested = main.filter((m) => m.pValues);
  if (tested.length === 0) return '';
  const shares = tested.map((m) => (100 * significantPairs(m)) / pairs(m).length);
  const permutations = [...new Set(tested.map((m) => m.permutations ?? 0))].filter((p) => p > 0);
  const range =
    Math.min(...shares) === Math.max(...shares)
      ? `${Math.min(...shares).toFixed(0)} %`
      : `${Math.min(...shares).toFixed(0)} to ${Math.max(...shares).toFixed(0)} %`;
  return (
    `Per task and metric, ${range} of the pairs beat the permutation null at p < 0.05` +
    `${permutations.length > 0 ? ` (${permutations.join(' / ')} permutations)` : ''}.`
  );
}

/** The alignability stage's note on the other prototypes (alignability-stage.ts): task, layer, what, metric means. */
export const OTHER_PROTOTYPES_NOTE =
  /^For comparison, (\w+) alignability at layer (\d+) with (.+) instead \(mean over pairs, no permutations\): (.+)\.$/;

/** The means with the prototypes not chosen (from the run's notes) and how far they are from the table's. */
function otherPrototypes(result: ExperimentResult, main: AlignabilityMatrix[]): string[] {
  const parsed = (result.run.notes ?? [])
    .map((n) => OTHER_PROTOTYPES_NOTE.exec(n))
    .filter((n): n is RegExpExecArray => n !== null);
  if (parsed.length === 0) return [];
  const differences: number[] = [];
  const values = parsed.map((n): [Task, string] => {
    const task = n[1] as Task;
    const means = n[4].split(', ').map((pair) => {
      const [metric, value] = pair.split(' ');
      const ours = offDiagonalMean(main.find((m) => m.task === task && m.metric === metric)?.values);
      if (ours !== undefined && Number.isFinite(Number(value)))
        differences.push(Math.abs(Number(value) - ours));
      return `${metricName(metric)} ${value}`;
    });
    return [task, means.join(', ')];
  });
  const gap =
    differences.length > 0 ? `: at most ${fixed(Math.max(...differences))} from the means above` : '';
  return [`With ${parsed[0][3]} instead (no permutations), the means are ${perTask(values)}${gap}.`];
}

/** Each layer-sweep series: its best layer, and its value at the main layer. */
function sweep(result: ExperimentResult): string[] {
  const series = result.layerSweep ?? [];
  if (series.length === 0 || series.every((s) => s.points.length < 2)) return [];
  const main = result.run.layer;
  const items = series.map((s) => {
    const best = bestLayerPoint(s);
    const atMain = s.points.find((p) => p.layer === main);
    const rest = best.layer === main || !atMain ? '' : `, ${fixed(atMain.value)} at the main layer ${main}`;
    return `${taskName(s.task)} ${s.quantity} is best at layer ${best.layer} (${fixed(best.value)}${rest})`;
  });
  return [`Across the layers of the report's layer sweep, ${listText(items)}.`];
}
