import { groupBy } from './charts/svg.js';
import type { IclAccuracy, IclRelation, IclSection } from './experiment-result.js';
import { fixed, level, percent } from './format.js';

/** What the ICL tables show, in one sentence (both renderers open the section with it). */
export function iclSettingsSentence(icl: IclSection): string {
  return (
    `Structured prompting with the decoder ${icl.model.name} (${icl.model.fingerprint}): k = ${icl.k} ` +
    `demonstrations, ${icl.runs} runs, labels as ${icl.labelForm} (${icl.labelSet}), ${icl.scoring} ` +
    `label log-probability, at most ${icl.maxSentences} test sentences per language. Token accuracy in % ` +
    'as mean ± standard error over runs; the baselines are learnt from the demonstration pool. The ' +
    `concept tables analyse the tag-position states at layer(s) ${icl.layers.join(', ')}, the map ` +
    `meta-trained over ${icl.metaLanguages.join(', ') || 'no language'}.`
  );
}

/** Columns of {@link iclAccuracyRows}. */
export const ICL_ACCURACY_COLUMNS = [
  'Language',
  'source',
  'target',
  'none',
  'Majority',
  'Per-word majority',
  'Effective k',
  'Passes / word',
];

const meanCell = (row: IclAccuracy | undefined) =>
  !row || row.accuracy === null
    ? '–'
    : `${percent(row.accuracy)}${row.standardError === null ? '' : ` ± ${percent(row.standardError)}`}`;
const unitCell = (v: number | null | undefined) => (v === null || v === undefined ? '–' : percent(v));

/**
 * One task's accuracy table: per language, the accuracy with each demonstration source, then the
 * baselines and costs of its source-demonstration row (the first row with a pool otherwise).
 */
export function iclAccuracyRows(rows: readonly IclAccuracy[]): string[][] {
  return [...groupBy(rows, (r) => r.language)].map(([language, own]) => {
    const by = (from: IclAccuracy['demonstrations']) => own.find((r) => r.demonstrations === from);
    const pooled = by('source') ?? by('target') ?? own[0];
    return [
      language,
      meanCell(by('source')),
      meanCell(by('target')),
      meanCell(by('none')),
      unitCell(pooled.majority),
      unitCell(pooled.perWordMajority),
      fixed(pooled.effectiveK, 1),
      fixed(pooled.forwardPassesPerWord, 2),
    ];
  });
}

/** The ICL accuracy rows grouped by task, headed `UPOS`. */
export function iclAccuracyGroups(icl: IclSection): { heading: string; rows: IclAccuracy[] }[] {
  return [...groupBy(icl.accuracy, (r) => r.task)].map(([task, rows]) => ({
    heading: task.toUpperCase(),
    rows,
  }));
}

/** The relation's points as rows: language, ICL accuracy (%), alignability. */
export function iclRelationRows(relation: IclRelation): string[][] {
  return relation.points.map((p) => [p.language, percent(p.accuracy), fixed(p.alignability)]);
}

/** Columns of {@link iclRelationRows}. */
export function iclRelationColumns(relation: IclRelation): string[] {
  return ['Language', 'ICL accuracy (source demonstrations)', `${relation.metric} (${direction(relation)})`];
}

const direction = (r: IclRelation) =>
  r.higherIsBetter ? 'higher = more alignable' : 'lower = more alignable';

/** Heading of a relation block. */
export function iclRelationHeading(relation: IclRelation): string {
  return `${relation.task.toUpperCase()}, layer ${relation.layer}: ICL accuracy against alignability with the source`;
}

/** Spearman's rho with its interval, or why there is none. */
export function correlationSentence(relation: IclRelation): string {
  const c = relation.correlation;
  const what = `${relation.metric} of ${relation.prototypes}`;
  if (!c)
    return `Alignability: ${what}. No rank correlation: it needs at least 3 targets with both values and some spread (${relation.points.length} here).`;
  return (
    `Alignability: ${what}. Spearman's ρ = ${fixed(c.rho)} [${fixed(c.lower)}, ${fixed(c.upper)}] ` +
    `(${level(c)} percentile bootstrap over ${relation.points.length} languages, ${c.resamples} resamples); ` +
    `${direction(relation)}.`
  );
}
