import type { IclAccuracy, IclSection, Task } from '@xling/eval';
import { correlationSentence, distinct, signedPoints } from '../eval-report-helpers.js';
import { byTask, count, listText, mean, pct, taskName } from '../markdown.js';

type Source = IclAccuracy['demonstrations'];
const SOURCES: Source[] = ['source', 'none', 'target'];

/** Mean of a field over rows that have it, with how many rows that is. */
function meanOf(rows: readonly IclAccuracy[], pick: (r: IclAccuracy) => number | null) {
  const values = rows.map(pick).filter((v): v is number => v !== null);
  return values.length === 0 ? undefined : { mean: mean(values), n: values.length };
}

/** Structured-prompting accuracy by demonstration source against its baselines, then the relation. */
export function iclSection(icl: IclSection | undefined): string[] {
  if (!icl) return [];
  return [
    `## In-context learning with ${icl.model.name}`,
    '',
    settingsSentence(icl),
    '',
    ...byTask(icl.accuracy).flatMap(([task, rows]) => [...accuracySentences(task, rows), '']),
    ...icl.relation.flatMap((r) => [correlationSentence(r), '']),
  ];
}

/** The decoder and how it was prompted; the effective k is what fitted in its context. */
function settingsSentence(icl: IclSection): string {
  const targets = distinct(icl.accuracy.map((r) => r.language)).length;
  const fitted = meanOf(
    icl.accuracy.filter((r) => r.demonstrations !== 'none'),
    (r) => r.effectiveK,
  );
  return (
    `\`${icl.model.name}\` (${count(icl.model.layers, 'layer')}) tags ${count(targets, 'target')} by structured ` +
    `prompting: k = ${icl.k} demonstrations asked for${fitted ? `, ${fitted.mean.toFixed(1)} per prompt on average` : ''}, ` +
    `${count(icl.runs, 'run')}, at most ${icl.maxSentences} test sentences per target, ${icl.scoring} label log-probability.`
  );
}

function accuracySentences(task: Task, rows: readonly IclAccuracy[]): string[] {
  const from = (s: Source) => rows.filter((r) => r.demonstrations === s);
  const accuracy = SOURCES.flatMap((s) => {
    const m = meanOf(from(s), (r) => r.accuracy);
    return m ? [{ source: s, ...m }] : [];
  });
  const baselines = [
    { name: 'the majority tag', value: meanOf(from('source'), (r) => r.majority) },
    { name: 'a word lookup of the source pool', value: meanOf(from('source'), (r) => r.perWordMajority) },
    {
      name: "a word lookup of the target's own pool",
      value: meanOf(from('target'), (r) => r.perWordMajority),
    },
  ].filter((b) => b.value !== undefined);
  const lines = [
    `${taskName(task)} token accuracy, mean over targets: ` +
      `${listText(accuracy.map((a) => `${a.source === 'none' ? 'no' : a.source} demonstrations ${pct(a.mean)} (${count(a.n, 'target')})`))}` +
      (baselines.length > 0
        ? `; baselines: ${listText(baselines.map((b) => `${b.name} ${pct(b.value!.mean)}`))}.`
        : '.'),
  ];
  const withSource = accuracy.find((a) => a.source === 'source');
  if (withSource && baselines.length > 0) {
    const beaten = baselines.filter((b) => withSource.mean > b.value!.mean).map((b) => b.name);
    const not = baselines.filter((b) => withSource.mean <= b.value!.mean).map((b) => b.name);
    lines.push(
      `With source demonstrations the decoder ${beaten.length > 0 ? `beats ${listText(beaten)}` : 'beats no baseline'}` +
        `${beaten.length > 0 && not.length > 0 ? `, not ${listText(not)}` : ''}.`,
    );
  }
  const effect = demonstrationEffect(rows);
  if (effect) lines.push(effect);
  return [lines.join(' ')];
}

/** Change of accuracy that demonstrations bring, paired over targets with and without them. */
function demonstrationEffect(rows: readonly IclAccuracy[]): string | undefined {
  const none = new Map(
    rows
      .filter((r) => r.demonstrations === 'none' && r.accuracy !== null)
      .map((r) => [r.language, r.accuracy!]),
  );
  const changes = (['source', 'target'] as const).flatMap((s) => {
    const paired = rows.filter((r) => r.demonstrations === s && r.accuracy !== null && none.has(r.language));
    if (paired.length === 0) return [];
    const d = mean(paired.map((r) => r.accuracy! - none.get(r.language)!));
    return [`${signedPoints(d)} points with ${s} demonstrations (${count(paired.length, 'target')})`];
  });
  return changes.length > 0
    ? `Compared with no demonstrations, the accuracy changes by ${listText(changes)}.`
    : undefined;
}
