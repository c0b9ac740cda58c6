import type { ProbeSummary, Task } from '@xling/eval';
import { distinct, probeFlagLine, probeMeanCells, signedPoints } from '../eval-report-helpers.js';
import { byTask, count, listText, mean, perTask, table, taskName } from '../markdown.js';
import type { ScriptTable } from '../script-table.js';

type Column = 'accuracy' | 'majority' | 'nearestClassMean' | 'wordLookup' | 'controlTask' | 'selectivity';

/** Mean of a column over the probes that have a value, as the mean row of report.md takes it. */
function columnMean(probes: readonly ProbeSummary[], column: Column): number | null {
  const values = probes.map((p) => p[column]).filter((v): v is number => v !== null);
  return values.length === 0 ? null : mean(values);
}

const BASELINES: { column: Column; name: string }[] = [
  { column: 'majority', name: 'the majority class' },
  { column: 'nearestClassMean', name: 'the nearest class mean' },
  { column: 'wordLookup', name: 'word identity' },
  { column: 'controlTask', name: 'the control task' },
];

/** The probes of the main layer beside their baselines, then the reference scripts' tables. */
export function probeSection(
  all: readonly ProbeSummary[] | undefined,
  layer: number,
  scripts: { logreg?: ScriptTable; lr?: ScriptTable },
): string[] {
  const probes = (all ?? []).filter((p) => p.layer === layer);
  if (probes.length === 0) return [];
  const tasks = byTask(probes);
  const languages = distinct(probes.map((p) => p.language)).length;
  return [
    `## ${heading(probes, tasks)}`,
    '',
    `${convergence(probes, tasks, languages)} ${checks(probes)}`,
    '',
    ...flagged(probes),
    `Means over the ${languages} languages (test words, accuracy in %; report.md has every language):`,
    '',
    table(
      [
        'task',
        'probe',
        'majority',
        'nearest class mean',
        'word lookup (coverage)',
        'control task',
        'selectivity',
        'epochs (best / run)',
        'converged',
      ],
      tasks.map(([task, own]) => [taskName(task), ...probeMeanCells(own).slice(2, 10)]),
    ),
    '',
    ...wordIdentity(tasks),
    ...(scripts.logreg ? logregBlock(scripts.logreg) : []),
    ...(scripts.lr ? lrBlock(scripts.lr) : []),
  ];
}

/** `Probes converge, and beat every baseline but word identity on average`, from the means. */
function heading(probes: readonly ProbeSummary[], tasks: [Task, ProbeSummary[]][]): string {
  const converged = probes.filter((p) => p.converged).length;
  const subject =
    converged === probes.length ? 'Probes converge' : `${converged} of ${probes.length} probes converge`;
  const measured = BASELINES.filter((b) => tasks.every(([, own]) => columnMean(own, b.column) !== null));
  const beats = (b: (typeof BASELINES)[number]) =>
    tasks.every(([, own]) => (columnMean(own, 'accuracy') ?? 0) > columnMean(own, b.column)!);
  const beaten = measured.filter(beats).map((b) => b.name);
  const missed = measured.filter((b) => !beats(b)).map((b) => b.name);
  if (measured.length === 0) return subject;
  const verb =
    missed.length === 0
      ? 'beat every baseline'
      : beaten.length === 0
        ? 'beat no baseline'
        : missed.length === 1
          ? `beat every baseline but ${missed[0]}`
          : `beat ${listText(beaten)} but not ${listText(missed)}`;
  return `${subject}, and ${verb} on average`;
}

function convergence(
  probes: readonly ProbeSummary[],
  tasks: [Task, ProbeSummary[]][],
  languages: number,
): string {
  const converged = probes.filter((p) => p.converged).length;
  const epochs = perTask(tasks.map(([task, own]) => [task, mean(own.map((p) => p.epochsRun)).toFixed(0)]));
  return (
    `${converged === probes.length ? 'All' : `${converged} of`} ${count(probes.length, 'probe')} ` +
    `(${count(languages, 'language')} × ${count(tasks.length, 'task')}) converged; they ran at most ` +
    `${Math.max(...probes.map((p) => p.epochsRun))} epochs, on average ${epochs}.`
  );
}

/** How many probes fail each check summarizeProbe flags, and whether the report flags any. */
function checks(probes: readonly ProbeSummary[]): string {
  const below = (p: ProbeSummary, baseline: number | null) =>
    p.accuracy !== null && baseline !== null && p.accuracy < baseline;
  const counts: [number, string][] = [
    [probes.filter((p) => p.bestEpoch === 0).length, 'kept the initialisation (best epoch 0)'],
    [probes.filter((p) => !(p.fitLoss < p.uniformLoss)).length, "ended at or above a uniform guess's loss"],
    [probes.filter((p) => below(p, p.majority)).length, 'scored below the majority class'],
    [probes.filter((p) => below(p, p.nearestClassMean)).length, 'scored below the nearest class mean'],
  ];
  const flags = probes.filter((p) => p.flags.length > 0).length;
  const sentence = counts.map(([n, what]) => `${n === 0 ? 'none' : n} ${what}`).join(', ');
  return `Of all the probes, ${sentence}; the report flags ${flags === 0 ? 'no probe' : count(flags, 'probe')}.`;
}

function flagged(probes: readonly ProbeSummary[]): string[] {
  const lines = probes
    .filter((p) => p.flags.length > 0)
    .map((p) => `- ${taskName(p.task)}, ${probeFlagLine(p)}`);
  return lines.length === 0 ? [] : [...lines, ''];
}

/** In how many languages the word lookup beats the probe, the selectivity, and what follows. */
function wordIdentity(tasks: [Task, ProbeSummary[]][]): string[] {
  const wins = tasks.map(([task, own]) => {
    const both = own.filter((p) => p.accuracy !== null && p.wordLookup !== null);
    return { task, n: both.length, wins: both.filter((p) => p.wordLookup! > p.accuracy!).length };
  });
  const measured = wins.filter((w) => w.n > 0);
  if (measured.length === 0) return [];
  const selectivity = tasks.flatMap(([task, own]): [Task, string][] => {
    const s = columnMean(own, 'selectivity');
    return s === null ? [] : [[task, `${signedPoints(s)} points`]];
  });
  const total = measured.reduce((a, w) => a + w.wins, 0);
  const n = measured.reduce((a, w) => a + w.n, 0);
  const lines = [
    'The word-identity lookup tagger (the most frequent tag of the form in the fitting data, the majority tag ' +
      `for unseen forms) beats the probe in ${perTask(measured.map((w) => [w.task, `${w.wins} of ${w.n} languages`]))}.`,
  ];
  if (selectivity.length > 0)
    lines.push(
      `The Hewitt & Liang selectivity (probe minus the control task, where each word type has a random tag) ` +
        `averages ${perTask(selectivity)}.`,
    );
  if (2 * total > n)
    lines.push(
      'With this model the representations mostly encode word identity: in most languages a lookup of the word ' +
        'form tags better than a linear probe on its vectors.',
    );
  if (2 * total < n)
    lines.push(
      'The probe beats the word lookup in most languages: the vectors carry more than the identity of the word.',
    );
  return [lines.join(' '), ''];
}

function logregBlock(t: ScriptTable): string[] {
  return [
    '### Against a converged logistic regression',
    '',
    `\`${t.command}\` fits scikit-learn's multinomial logistic regression and a nearest centroid on exactly the ` +
      "fitting and test words of the run and compares them with the run's own probes; it exits 1 when a language " +
      `breaks the rule its verdict names. Result: **${t.verdict}**.`,
    '',
    t.markdown,
    '',
  ];
}

function lrBlock(t: ScriptTable): string[] {
  return [
    '### Logistic regression against the word lookup',
    '',
    `\`${t.command}\` puts the same converged logistic regression beside xling's word-identity lookup tagger on ` +
      `the same words; it exits 1 when the regression does not beat the lookup by the margins its verdict names. ` +
      `Result: **${t.verdict}**.`,
    '',
    t.markdown,
    '',
  ];
}
