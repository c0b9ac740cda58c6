/**
 * Table cells, sentences and groupings that the Markdown and the HTML report share for the run,
 * probe, zero-shot, learning-curve, few-shot, layer-sweep and prototype sections (as `gapCells`
 * in format.ts does for gaps), so both documents show the same numbers in the same words.
 */
import type {
  FewShotCurve,
  LayerSweepSeries,
  LearningCurve,
  ProbeSummary,
  RunMetadata,
  Task,
  ZeroShotScore,
} from '../experiment-result.js';
import { fixed, percent, percentWithInterval, signedPoints } from '../format.js';
import { distinct, groupBy } from './svg.js';

/** The settings rows both reports open with: model, layer, pooling, source language, seeds, UD version. */
export function runSettingRows(run: RunMetadata): string[][] {
  return [
    ['Model', `${run.model.name}${run.model.dtype ? ` (${run.model.dtype})` : ''}`],
    ['Layer', String(run.layer)],
    ...(run.pooling ? [['Pooling', run.pooling]] : []),
    ['Source language', run.sourceLanguage],
    ['Seeds', run.seeds.join(', ') || '–'],
    ['UD version', run.ud.version],
  ];
}

/** Items of one task and layer, with their heading `UPOS, layer 8`. */
export interface TaskLayerGroup<T> {
  heading: string;
  items: T[];
}

/** Groups probes or scores by task and layer, in first-seen order. */
export function taskLayerGroups<T extends { task: Task; layer: number }>(
  items: readonly T[],
): TaskLayerGroup<T>[] {
  return [...groupBy(items, (item) => `${item.task} ${item.layer}`).values()].map((group) => ({
    heading: `${group[0].task.toUpperCase()}, layer ${group[0].layer}`,
    items: group,
  }));
}

/** Columns of the probe table (one row per probe, see {@link probeCells}). */
export const PROBE_COLUMNS = [
  'Language',
  'Fit split (words)',
  'Probe',
  'Majority',
  'Nearest class mean',
  'Word lookup (coverage)',
  'Control task',
  'Selectivity',
  'Epochs (best / run)',
  'Converged',
  'Fit loss / uniform',
];

/** One sentence on what the probe table shows. */
export const PROBE_LEGEND =
  'Test accuracy in % of each language’s own probe beside its baselines: the majority label of the fitting data, ' +
  'the nearest class mean in the model’s space, the word-identity lookup (share of test words seen in fitting), ' +
  'and the same probe on the Hewitt & Liang (2019) control task; selectivity = probe − control task, in points. ' +
  'Fit loss is the cross-entropy on the fitting words; a uniform guess scores ln(labels).';

function pct(v: number | null): string {
  return v === null ? '–' : percent(v);
}

function mean(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}

/** The row of one probe, in {@link PROBE_COLUMNS} order. */
export function probeCells(p: ProbeSummary): string[] {
  return [
    p.language,
    `${p.fitSplit} (${p.fitWords})`,
    pct(p.accuracy),
    pct(p.majority),
    pct(p.nearestClassMean),
    p.wordLookup === null
      ? '–'
      : `${percent(p.wordLookup)}${p.wordLookupCoverage === null ? '' : ` (${percent(p.wordLookupCoverage, 0)}%)`}`,
    pct(p.controlTask),
    p.selectivity === null ? '–' : signedPoints(p.selectivity),
    `${p.bestEpoch} / ${p.epochsRun}`,
    p.converged ? 'yes' : 'no',
    `${fixed(p.fitLoss)} / ${fixed(p.uniformLoss)}`,
  ];
}

/** {@link probeCells}, with ⚑ after the language of a flagged probe. */
export function markedProbeCells(p: ProbeSummary): string[] {
  const cells = probeCells(p);
  if (p.flags.length > 0) cells[0] = `${cells[0]} ⚑`;
  return cells;
}

/** The mean row of a probe table: each column's mean over the probes that have a value. */
export function probeMeanCells(probes: readonly ProbeSummary[]): string[] {
  const m = (pick: (p: ProbeSummary) => number | null) => mean(probes.map(pick));
  const selectivity = m((p) => p.selectivity);
  const coverage = m((p) => p.wordLookupCoverage);
  const wordLookup = m((p) => p.wordLookup);
  return [
    `Mean (${probes.length})`,
    '',
    pct(m((p) => p.accuracy)),
    pct(m((p) => p.majority)),
    pct(m((p) => p.nearestClassMean)),
    wordLookup === null
      ? '–'
      : `${percent(wordLookup)}${coverage === null ? '' : ` (${percent(coverage, 0)}%)`}`,
    pct(m((p) => p.controlTask)),
    selectivity === null ? '–' : signedPoints(selectivity),
    `${fixed(
      m((p) => p.bestEpoch),
      1,
    )} / ${fixed(
      m((p) => p.epochsRun),
      1,
    )}`,
    `${probes.filter((p) => p.converged).length} of ${probes.length}`,
    `${fixed(m((p) => p.fitLoss))} / ${fixed(m((p) => p.uniformLoss))}`,
  ];
}

/** `wo (UD_Wolof-WTB): not converged; below word lookup`. */
export function probeFlagLine(p: ProbeSummary): string {
  return `${p.language}${p.treebank ? ` (${p.treebank})` : ''}: ${p.flags.join('; ')}`;
}

/** Zero-shot word accuracy in %, with its interval when recorded. */
export function accuracyCell(score: ZeroShotScore): string {
  return percentWithInterval(score.accuracy, score.ci);
}

/** Zero-shot macro-F1 in %, or '–' when not recorded. */
export function macroF1Cell(score: ZeroShotScore): string {
  return score.macroF1 !== undefined ? percent(score.macroF1) : '–';
}

/** One cell per method (in `methods` order) from one language's scores; '–' where a method has none. */
export function methodCells(
  scores: readonly ZeroShotScore[],
  methods: readonly string[],
  cell: (score: ZeroShotScore) => string,
): string[] {
  return methods.map((method) => {
    const score = scores.find((s) => s.method === method);
    return score ? cell(score) : '–';
  });
}

/** What each known meta-learner is; other names are shown as they are. */
const LEARNERS: Record<string, string> = {
  meta: 'meta-learned zero-shot map',
  'few-shot': 'language adapters for few-shot',
};

/** `meta (meta-learned zero-shot map)`, or the bare name of an unknown learner. */
export function learnerLabel(learner: string): string {
  return LEARNERS[learner] ? `${learner} (${LEARNERS[learner]})` : learner;
}

/** One sentence summing up a learning curve: epochs, the kept epoch, convergence, its accuracy. */
export function learningCurveSummary(curve: LearningCurve): string {
  const last = curve.points.at(-1)?.epoch ?? 0;
  const best = curve.points.find((p) => p.epoch === curve.bestEpoch);
  const accuracy =
    best && best.validationAccuracy !== null
      ? `; validation accuracy at the best epoch ${percent(best.validationAccuracy)}%`
      : '; no validation accuracy recorded';
  return (
    `Epochs run: ${last}; best epoch: ${curve.bestEpoch}; converged: ` +
    `${curve.converged ? 'yes (validation accuracy plateaued)' : 'no'}${accuracy}.`
  );
}

/** Longest curve whose every epoch gets a table row; longer ones are thinned. */
const MAX_CURVE_ROWS = 20;

/**
 * The epochs a curve table shows: all of them up to {@link MAX_CURVE_ROWS}, otherwise every k-th
 * (k chosen for about 15 rows) plus the first, the best and the last; `step` is that k (1 = all).
 */
export function curveRows(curve: LearningCurve): {
  rows: LearningCurve['points'];
  step: number;
} {
  const n = curve.points.length;
  if (n <= MAX_CURVE_ROWS) return { rows: curve.points, step: 1 };
  const step = Math.ceil(n / 15);
  const rows = curve.points.filter((p, i) => i % step === 0 || i === n - 1 || p.epoch === curve.bestEpoch);
  return { rows, step };
}

/** The cells of one curve row: epoch, loss, validation accuracy in %. */
export function curveCells(point: LearningCurve['points'][number]): string[] {
  return [String(point.epoch), fixed(point.loss), pct(point.validationAccuracy)];
}

/** What each known few-shot method is; other names are shown as they are. */
const FEW_SHOT_METHODS: Record<string, string> = {
  'few-shot-adapter': 'the meta-learned language adapter, adapted on the N support sentences',
  'probe-on-support': 'a linear probe fitted on the same N sentences alone',
  'identity-adapter':
    'the untouched identity adapter, nothing fitted: a flat baseline the adapter has to beat',
};

/** Whether a few-shot method is a flat baseline (drawn dashed). */
export function isFlatBaseline(method: string): boolean {
  return method === 'identity-adapter';
}

/** `Methods: few-shot-adapter — …; identity-adapter — ….` for the known methods among `methods`, or ''. */
export function fewShotMethodNotes(methods: readonly string[]): string {
  const known = methods.filter((m) => FEW_SHOT_METHODS[m] !== undefined);
  if (known.length === 0) return '';
  return `Methods: ${known.map((m) => `${m} — ${FEW_SHOT_METHODS[m]}`).join('; ')}.`;
}

/** The few-shot curves of one task, target language and layer; `heading` is `UPOS, wo, layer 8`. */
export interface FewShotGroup {
  heading: string;
  language: string;
  curves: FewShotCurve[];
}

/** Groups few-shot curves by task, target language and layer, in first-seen order. */
export function fewShotGroups(curves: readonly FewShotCurve[]): FewShotGroup[] {
  return [...groupBy(curves, (c) => `${c.task}\u0000${c.language}\u0000${c.layer}`).values()].map((group) => {
    const { task, language, layer } = group[0];
    return { heading: `${task.toUpperCase()}, ${language}, layer ${layer}`, language, curves: group };
  });
}

/**
 * The few-shot table of one group: one row per method, one column per support size N, each cell
 * the mean accuracy in % with its interval over seeds (and the seed count when it varies).
 * `mean` names the statistic: `mean over 5 seeds` when every point has the same seed count.
 */
export function fewShotTable(curves: readonly FewShotCurve[]): {
  header: string[];
  rows: string[][];
  mean: string;
} {
  const sizes = [...new Set(curves.flatMap((c) => c.points.map((p) => p.n)))].sort((a, b) => a - b);
  const seeds = distinct(curves.flatMap((c) => c.points.map((p) => p.seeds)));
  const rows = curves.map((c) => [
    c.method,
    ...sizes.map((n) => {
      const p = c.points.find((q) => q.n === n);
      if (!p) return '–';
      return `${percentWithInterval(p.mean, p)}${seeds.length === 1 ? '' : ` (${p.seeds} seeds)`}`;
    }),
  ]);
  return {
    header: ['Method', ...sizes.map((n) => `N=${n}`)],
    rows,
    mean: `mean${seeds.length === 1 ? ` over ${seeds[0]} seeds` : ''}`,
  };
}

/** The point of a layer sweep with the best value (the first of equals). */
export function bestLayerPoint(series: LayerSweepSeries): LayerSweepSeries['points'][number] {
  return series.points.reduce((a, b) =>
    (series.higherIsBetter ? b.value > a.value : b.value < a.value) ? b : a,
  );
}

/** Which concept prototypes the alignability matrices compare, as a sentence, or '' when unrecorded. */
export function prototypesSentence(prototypes: RunMetadata['prototypes']): string {
  switch (prototypes) {
    case 'class-means':
      return 'Prototypes: class means of each label’s vectors in the model’s space.';
    case 'probe':
      return 'Prototypes: each language’s own probe (W^T μ: the class means mapped by that language’s probe).';
    default:
      return '';
  }
}
