import type { FewShotCurve, Task } from '@xling/eval';
import { distinct, fewShotMethodNotes, percent } from '../eval-report-helpers.js';
import { byTask, count, listText, mean, table, taskName } from '../markdown.js';

/** Mean accuracy over targets at each support size N, per method. */
type Means = Map<string, Map<number, number>>;

function meansOf(curves: readonly FewShotCurve[]): Means {
  const out: Means = new Map();
  for (const [method, own] of byMethod(curves)) {
    const sizes = distinct(own.flatMap((c) => c.points.map((p) => p.n)));
    out.set(
      method,
      new Map(
        sizes.map((n) => [n, mean(own.flatMap((c) => c.points.filter((p) => p.n === n).map((p) => p.mean)))]),
      ),
    );
  }
  return out;
}

function byMethod(curves: readonly FewShotCurve[]): [string, FewShotCurve[]][] {
  return distinct(curves.map((c) => c.method)).map((m) => [m, curves.filter((c) => c.method === m)]);
}

/** The few-shot curves of the main layer averaged over targets, and where the adapter wins. */
export function fewShotSection(all: readonly FewShotCurve[] | undefined, layer: number): string[] {
  const curves = (all ?? []).filter((c) => c.layer === layer);
  if (curves.length === 0) return [];
  const sizes = distinct(curves.flatMap((c) => c.points.map((p) => p.n))).sort((a, b) => a - b);
  const targets = distinct(curves.map((c) => c.language)).length;
  const seeds = distinct(curves.flatMap((c) => c.points.map((p) => p.seeds))).join(' / ');
  const tasks = byTask(curves).map(([task, own]): [Task, Means] => [task, meansOf(own)]);
  const notes = fewShotMethodNotes(distinct(curves.map((c) => c.method)));
  return [
    `## Few-shot (mean over ${count(targets, 'target')}, ${seeds} seeds)`,
    '',
    table(
      ['N target sentences', ...sizes.map(String)],
      tasks.flatMap(([task, means]) =>
        [...means].map(([method, byN]) => [
          `${taskName(task)}, ${method}`,
          ...sizes.map((n) => (byN.has(n) ? percent(byN.get(n)!) : '–')),
        ]),
      ),
    ),
    '',
    ...(notes ? [notes, ''] : []),
    ...tasks.flatMap(([task, means]) => adapterSentence(task, means)),
  ];
}

/** Where the fitted adapter beats each other method, and where another is ahead of it. */
function adapterSentence(task: Task, means: Means): string[] {
  const adapter = means.get('few-shot-adapter');
  if (!adapter) return [];
  const others = [...means].filter(([method]) => method !== 'few-shot-adapter');
  if (others.length === 0) return [];
  const wins: string[] = [];
  const behind: string[] = [];
  for (const [method, byN] of others) {
    const shared = [...adapter.keys()].filter((n) => byN.has(n)).sort((a, b) => a - b);
    const won = shared.filter((n) => adapter.get(n)! > byN.get(n)!);
    wins.push(
      `${method} ${won.length === shared.length ? 'at every N' : won.length === 0 ? 'at no N' : `at N = ${won.join(', ')}`}`,
    );
    const lost = shared.filter((n) => !won.includes(n));
    if (lost.length > 0)
      behind.push(
        `${method} at N = ${listText(lost.map((n) => `${n} (${percent(byN.get(n)!)} against ${percent(adapter.get(n)!)} %)`))}`,
      );
  }
  return [
    `${taskName(task)}: the few-shot adapter beats ${listText(wins)}` +
      (behind.length > 0 ? `; it is matched or beaten by ${listText(behind)}.` : '.'),
    '',
  ];
}
