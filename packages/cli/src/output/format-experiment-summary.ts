import { type ExperimentResult, ZERO_SHOT_METHODS } from '@xling/eval';
import { formatTable } from './format.js';

const METHOD_ORDER: readonly string[] = Object.keys(ZERO_SHOT_METHODS);

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

function byOrder(a: string, b: string): number {
  const i = METHOD_ORDER.indexOf(a);
  const j = METHOD_ORDER.indexOf(b);
  return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || a.localeCompare(b);
}

/**
 * The short summary the stage commands print after a report: zero-shot word accuracy per method
 * and task (mean over the scored target languages, their number in brackets, main layer), the
 * high- vs low-resource gap per method when the run has both groups, the mean alignability
 * of every metric, and the ICL accuracy per language and demonstration source.
 */
export function formatExperimentSummary(result: ExperimentResult): string {
  const parts: string[] = [];
  const layer = result.run.layer;
  const zeroShot = (result.zeroShot ?? []).filter((z) => z.layer === layer);
  if (zeroShot.length > 0) {
    const tasks = [...new Set(zeroShot.map((z) => z.task))];
    const methods = [...new Set(zeroShot.map((z) => z.method))].sort(byOrder);
    const rows = methods.map((method) => [
      method,
      ...tasks.map((task) => {
        const scores = zeroShot.filter((z) => z.method === method && z.task === task).map((z) => z.accuracy);
        return scores.length === 0 ? '-' : `${percent(mean(scores))} (${scores.length})`;
      }),
    ]);
    parts.push(
      `Zero-shot word accuracy, mean over target languages (number scored), layer ${layer}:`,
      formatTable(['method', ...tasks], rows, [false, ...tasks.map(() => true)]),
    );
    const gaps = (result.gaps ?? []).filter((g) => g.gap !== undefined && (g.layer ?? layer) === layer);
    if (gaps.length > 0) {
      parts.push(
        '',
        'High- minus low-resource accuracy gap, with its interval (smaller = languages closer):',
        formatTable(
          ['method', ...tasks],
          [...new Set(gaps.map((g) => g.method))].sort(byOrder).map((method) => [
            method,
            ...tasks.map((task) => {
              const gap = gaps.find((g) => g.method === method && g.task === task)?.gap;
              return gap === undefined
                ? '-'
                : `${(100 * gap.gap).toFixed(1)} pt [${(100 * gap.lower).toFixed(1)}, ${(100 * gap.upper).toFixed(1)}]`;
            }),
          ]),
          [false, ...tasks.map(() => true)],
        ),
      );
    }
  }
  const alignability = (result.alignability ?? []).filter((a) => a.layer === layer);
  if (alignability.length > 0) {
    if (parts.length > 0) parts.push('');
    parts.push(`Alignability between languages, mean over pairs (layer ${layer}):`);
    const rows = alignability.map((a) => {
      const values: number[] = [];
      let significant = 0;
      let tested = 0;
      for (let i = 0; i < a.languages.length; i++) {
        for (let j = i + 1; j < a.languages.length; j++) {
          const v = a.values[i]?.[j];
          if (typeof v === 'number') values.push(v);
          const p = a.pValues?.[i]?.[j];
          if (typeof p === 'number') {
            tested++;
            if (p < 0.05) significant++;
          }
        }
      }
      return [
        a.task,
        a.metric,
        values.length === 0 ? '-' : mean(values).toFixed(3),
        a.higherIsBetter ? 'higher' : 'lower',
        tested === 0 ? '-' : `${significant}/${tested}`,
      ];
    });
    parts.push(
      formatTable(['task', 'metric', 'mean', 'better', 'p < 0.05'], rows, [false, false, true, false, true]),
    );
  }
  if (result.icl) {
    if (parts.length > 0) parts.push('');
    parts.push(...iclSummary(result.icl));
  }
  return parts.join('\n');
}

/** ICL accuracy per task and language by demonstration source (mean over runs). */
function iclSummary(icl: NonNullable<ExperimentResult['icl']>): string[] {
  const sources = ['source', 'target', 'none'] as const;
  const keys = [...new Set(icl.accuracy.map((a) => `${a.task} ${a.language}`))];
  const rows = keys.map((key) => [
    ...key.split(' '),
    ...sources.map((from) => {
      const row = icl.accuracy.find((a) => `${a.task} ${a.language}` === key && a.demonstrations === from);
      return row?.accuracy === null || row === undefined ? '-' : percent(row.accuracy);
    }),
  ]);
  return [
    `In-context learning accuracy (${icl.model.name}, k = ${icl.k}, mean over ${icl.runs} runs) by demonstration source:`,
    formatTable(['task', 'language', ...sources], rows, [false, false, true, true, true]),
  ];
}
