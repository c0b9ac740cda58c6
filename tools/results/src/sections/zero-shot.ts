import { type ExperimentResult, type Task, ZERO_SHOT_METHODS, type ZeroShotScore } from '@xling/eval';
import { distinct, percent, signedPoints } from '../eval-report-helpers.js';
import { byTask, listText, mean, perTask, table, taskName } from '../markdown.js';

const describe = (method: string) =>
  method in ZERO_SHOT_METHODS ? ZERO_SHOT_METHODS[method as keyof typeof ZERO_SHOT_METHODS] : undefined;

/** Accuracy by language of one task and method. */
type Scores = Map<string, Map<string, number>>;

function scoresOf(rows: readonly ZeroShotScore[]): Scores {
  const out: Scores = new Map();
  for (const r of rows) out.set(r.method, (out.get(r.method) ?? new Map()).set(r.language, r.accuracy));
  return out;
}

/** Mean word accuracy per method and task over the targets, then what the means say. */
export function zeroShotSection(result: ExperimentResult): string[] {
  const { run } = result;
  const rows = (result.zeroShot ?? []).filter((z) => z.layer === run.layer);
  if (rows.length === 0) return [];
  const tasks = byTask(rows).map(([task, own]): [Task, Scores] => [task, scoresOf(own)]);
  const methods = distinct(rows.map((r) => r.method));
  const cell = (scores: Scores, method: string) => {
    const own = scores.get(method);
    return own ? percent(mean([...own.values()])) : '–';
  };
  const counts = (method: string) => tasks.map(([, scores]) => scores.get(method)?.size ?? 0);
  const targets = (method: string) => distinct(counts(method)).join(' / ');
  const described = methods.filter((m) => describe(m) !== undefined);
  const baseline = result.gaps?.find((g) => g.gapChange)?.gapChange?.baseline ?? 'source-probe';
  return [
    `## Zero-shot word accuracy (layer ${run.layer}, mean over target languages)`,
    '',
    table(
      ['method', ...tasks.map(([task]) => `${taskName(task)} (%)`), 'targets'],
      methods.map((m) => [m, ...tasks.map(([, scores]) => cell(scores, m)), targets(m)]),
    ),
    '',
    ...(described.length > 0
      ? [`Methods: ${described.map((m) => `${m} — ${describe(m)}`).join('; ')}.`, '']
      : []),
    ...[targetSentence(result, methods, counts), ...mapSentences(tasks, baseline)].flatMap((s) => [s, '']),
  ];
}

/** Methods that need the target's own fitting split, so test-only targets lack them. */
const NEED_FITTING_SPLIT = ['procrustes', 'in-language'];

/** How many targets there are, by resource group, and which methods cover fewer. */
function targetSentence(
  result: ExperimentResult,
  methods: string[],
  counts: (m: string) => number[],
): string {
  const all = Math.max(...methods.flatMap(counts));
  const groups = result.run.resourceGroups;
  const split = groups ? ` (${groups.high.length} high-resource, ${groups.low.length} low-resource)` : '';
  const fewer = methods.filter((m) => counts(m).some((n) => n < all));
  const why = fewer.every((m) => NEED_FITTING_SPLIT.includes(m))
    ? ' (they need a fitting split of the target)'
    : '';
  const partial =
    fewer.length > 0
      ? `; ${listText(fewer.map((m) => `${m} on ${distinct(counts(m)).join(' / ')}`))}${why}`
      : '';
  return `${fewer.length > 0 ? 'Most methods are' : 'Every method is'} scored on all ${all} targets${split}${partial}.`;
}

/** Paired means over the targets every named method scored. */
function pairedMeans(scores: Scores, methods: readonly string[]): number[] | undefined {
  const own = methods.map((m) => scores.get(m));
  if (own.some((s) => s === undefined)) return undefined;
  const languages = [...own[0]!.keys()].filter((l) => own.every((s) => s!.has(l)));
  if (languages.length === 0) return undefined;
  return own.map((s) => mean(languages.map((l) => s!.get(l)!)));
}

/** The meta-learned map against the unmapped baseline and the ceiling, and Procrustes against it. */
function mapSentences(tasks: [Task, Scores][], baseline: string): string[] {
  return [liftSentence(tasks, baseline), procrustesSentence(tasks)].filter((s) => s !== '');
}

function liftSentence(tasks: [Task, Scores][], baseline: string): string {
  const lift = tasks.flatMap(([task, scores]) => {
    const means = pairedMeans(scores, [baseline, 'meta', 'in-language']);
    return means ? [{ task, base: means[0], meta: means[1], ceiling: means[2] }] : [];
  });
  if (lift.length === 0) return '';
  const closed = lift.filter((l) => l.ceiling > l.base && l.meta > l.base);
  const share = (l: (typeof lift)[number]) =>
    `${((100 * (l.meta - l.base)) / (l.ceiling - l.base)).toFixed(0)} %`;
  return (
    `On the targets scored by ${baseline}, meta and in-language, the meta-learned map changes the accuracy of ` +
    `the unmapped baseline (${baseline}) by ${perTask(lift.map((l) => [l.task, `${signedPoints(l.meta - l.base)} points`]))}` +
    (closed.length > 0
      ? ` and so covers ${perTask(closed.map((l) => [l.task, share(l)]))} of the distance to the in-language ceiling.`
      : '.')
  );
}

function procrustesSentence(tasks: [Task, Scores][]): string {
  const differences = tasks.flatMap(([task, scores]): [Task, number][] => {
    const means = pairedMeans(scores, ['procrustes', 'meta']);
    return means ? [[task, means[0] - means[1]]] : [];
  });
  if (differences.length === 0) return '';
  const ahead = differences.every(([, d]) => d > 0);
  const behind = differences.every(([, d]) => d < 0);
  const verb = ahead ? 'beats' : behind ? 'falls behind' : 'differs from';
  const points = differences.map(([task, d]): [Task, string] => [
    task,
    `${ahead || behind ? percent(Math.abs(d)) : signedPoints(d)} points`,
  ]);
  return (
    `Where it can be computed, the Procrustes map of the target's own prototypes ${verb} the meta-learned map by ` +
    `${perTask(points)}; it needs labelled target data, the meta-learned map does not.`
  );
}
