/**
 * Table cells and sentences that the Markdown and the HTML report share for the probe,
 * learning-curve, few-shot and prototype sections (as `gapCells` in format.ts does for gaps), so
 * both documents show the same numbers in the same words.
 */
import type { LearningCurve, ProbeSummary, RunMetadata } from '../experiment-result.js';
import { fixed, percent, signedPoints } from '../format.js';

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
