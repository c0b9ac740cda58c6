import type { Task } from '@xling/eval';
import { groupBy, percent } from './eval-report-helpers.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A number cell: `61.3`, `+12.2`, `-0.4`, `82.6 (76%)`, `–` (none). */
const NUMERIC = /^([+-]?\d|–$)/;

/** A GitHub table; columns of numbers are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const numeric = header.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => NUMERIC.test(r[i])));
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${numeric.map((right) => (right ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Mean of a non-empty list (callers only average groups that exist). */
export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** `61.3 %`. */
export function pct(v: number): string {
  return `${percent(v)} %`;
}

/** How results.md names a task: UPOS in capitals, deprel as UD spells it. */
export function taskName(task: Task): string {
  return task === 'upos' ? 'UPOS' : task;
}

/** `+16.4 (UPOS) and +10.1 (deprel)`: one value per task. */
export function perTask(values: readonly [Task, string][]): string {
  return listText(values.map(([task, text]) => `${text} (${taskName(task)})`));
}

/** `one probe`, `3 probes`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Items grouped by task, in first-seen order. */
export function byTask<T extends { task: Task }>(items: readonly T[]): [Task, T[]][] {
  return [...groupBy(items, (item) => item.task)].map(([task, group]) => [task as Task, group]);
}
