import { clusterOrder } from './cluster-order.js';
import {
  accuracyCell,
  bestLayerPoint,
  curveCells,
  curveRows,
  type FewShotGroup,
  fewShotGroups,
  fewShotMethodNotes,
  fewShotTable,
  learnerLabel,
  learningCurveSummary,
  macroF1Cell,
  markedProbeCells,
  methodCells,
  PROBE_COLUMNS,
  PROBE_LEGEND,
  probeFlagLine,
  probeMeanCells,
  prototypesSentence,
  runSettingRows,
  type TaskLayerGroup,
  taskLayerGroups,
} from './charts/section-cells.js';
import { distinct, groupBy } from './charts/svg.js';
import type {
  AlignabilityMatrix,
  ConfusionSummary,
  ExperimentResult,
  FewShotCurve,
  GapSummary,
  IclSection,
  LayerSweepSeries,
  LearningCurve,
  PrototypeProjection,
  ProbeSummary,
  RunMetadata,
  ZeroShotScore,
} from './experiment-result.js';
import { fixed, gapCells, level, matrixCaption, offDiagonalMean, percent, titleOf } from './format.js';
import {
  correlationSentence,
  ICL_ACCURACY_COLUMNS,
  iclAccuracyGroups,
  iclAccuracyRows,
  iclRelationColumns,
  iclRelationHeading,
  iclRelationRows,
  iclSettingsSentence,
} from './icl-cells.js';
import { parseExperimentResult } from './parse-experiment-result.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/**
 * Renders an experiment result as GitHub-flavoured Markdown: run metadata, declared split
 * substitutions, one table per alignability matrix (languages in clustered order, `*` for
 * permutation p < 0.05) with the prototypes they compare, in-language probes beside their
 * controls (baselines, Hewitt & Liang selectivity, convergence, flags), zero-shot accuracy per
 * language and method with bootstrap intervals, gap statistics, few-shot curves (one row per
 * method), meta-learning curves, the layer sweep and in-context learning (accuracy by demonstration
 * source, the ICL states as concepts, accuracy against alignability). Sections without data are
 * left out.
 *
 * @param result - a result that passes {@link validateExperimentResult}
 * @returns the Markdown text, ending with a newline
 * @throws XLING_INVALID_ARGUMENT naming the bad key when `result` breaks the schema.
 * @example
 * await writeFile('report.md', renderMarkdownReport(result));
 */
export function renderMarkdownReport(result: ExperimentResult): string {
  parseExperimentResult(result, 'renderMarkdownReport');
  const lines = [
    `# ${titleOf(result)}`,
    '',
    ...runSection(result.run),
    ...alignabilitySection(result.alignability, result.run.prototypes),
    ...probeSection(result.probes),
    ...confusionSection(result.confusion),
    ...zeroShotSection(result.zeroShot),
    ...gapSection(result.gaps),
    ...fewShotSection(result.fewShot),
    ...learningCurveSection(result.learningCurves),
    ...layerSweepSection(result.layerSweep),
    ...projectionSection(result.projections),
    ...iclSection(result.icl),
    ...warningSection(result.warnings),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

// Each section below returns its lines, every block followed by a blank line, or none without data.

function runSection(run: RunMetadata): string[] {
  const lines = [
    table(
      ['Setting', 'Value'],
      [
        ...runSettingRows(run),
        ['Treebanks', String(run.ud.treebanks.length)],
        ['Config hash', `\`${run.configHash}\``],
        ['Created', run.createdAt],
        ...(run.xlingVersion ? [['xling', run.xlingVersion]] : []),
      ],
    ),
    '',
  ];
  if (run.resourceGroups) {
    lines.push(
      `Low-resource: ${run.resourceGroups.low.join(', ') || '–'}. High-resource: ${run.resourceGroups.high.join(', ') || '–'}.`,
      '',
    );
  }
  if (run.splitSubstitutions.length > 0) {
    lines.push(
      '## Split substitutions',
      '',
      table(
        ['Treebank', 'Language', 'Used', 'Instead of', 'Reason'],
        run.splitSubstitutions.map((s) => [s.treebank, s.language, s.used, s.insteadOf, s.reason]),
      ),
      '',
    );
  }
  for (const note of run.notes ?? []) lines.push(`> ${note}`, '');
  return lines;
}

function alignabilitySection(
  matrices: AlignabilityMatrix[] | undefined,
  prototypes: RunMetadata['prototypes'],
): string[] {
  if (!matrices?.length) return [];
  const sentence = prototypesSentence(prototypes);
  return ['## Alignability', '', ...(sentence ? [sentence, ''] : []), ...matrices.flatMap(matrixBlock)];
}

/** One matrix as a table in clustered language order, `*` marking permutation p < 0.05. */
function matrixBlock(m: AlignabilityMatrix): string[] {
  const order = clusterOrder(m.values, { kind: m.higherIsBetter ? 'similarity' : 'distance' });
  const starred = (i: number, j: number) => {
    const p = m.pValues?.[i]?.[j];
    return fixed(m.values[i][j]) + (p !== undefined && p !== null && p < 0.05 ? '*' : '');
  };
  const summary = [`Mean off-diagonal: ${fixed(offDiagonalMean(m.values))}`];
  const control = offDiagonalMean(m.control);
  if (control !== undefined) summary.push(`random-label control: ${fixed(control)}`);
  if (m.pValues)
    summary.push(`\\* permutation p < 0.05${m.permutations ? ` (${m.permutations} permutations)` : ''}`);
  return [
    `### ${matrixCaption(m)}`,
    '',
    table(
      ['', ...order.map((i) => m.languages[i])],
      order.map((i) => [m.languages[i], ...order.map((j) => starred(i, j))]),
    ),
    '',
    `${summary.join('; ')}.`,
    '',
  ];
}

function probeSection(probes: ProbeSummary[] | undefined): string[] {
  if (!probes?.length) return [];
  return [
    '## Probes and their controls',
    '',
    PROBE_LEGEND,
    '',
    ...taskLayerGroups(probes).flatMap(probeBlock),
  ];
}

function probeBlock({ heading, items: probes }: TaskLayerGroup<ProbeSummary>): string[] {
  const flagged = probes.filter((p) => p.flags.length > 0);
  return [
    `### ${heading}`,
    '',
    table(PROBE_COLUMNS, [
      ...probes.map(markedProbeCells),
      probeMeanCells(probes).map((c, i) => (i === 0 ? `**${c}**` : c)),
    ]),
    '',
    ...(flagged.length === 0
      ? ['No probe is flagged.']
      : ['Flagged probes (⚑):', '', ...flagged.map((p) => `- ${probeFlagLine(p)}`)]),
    '',
  ];
}

function confusionSection(confusion: ConfusionSummary[] | undefined): string[] {
  if (!confusion?.length) return [];
  return [
    '## Confusion matrices',
    '',
    ...confusion.flatMap((c) => [
      `### ${c.task.toUpperCase()}, ${c.method}, layer ${c.layer}`,
      '',
      `Test words of ${c.languages.length} target language(s) pooled; rows are gold labels, columns predictions.`,
      '',
      table(
        ['gold \\ predicted', ...c.labels, 'none'],
        c.labels.map((label, i) => [label, ...c.matrix[i].map(String), String(c.noPrediction[i])]),
      ),
      '',
    ]),
  ];
}

function zeroShotSection(scores: ZeroShotScore[] | undefined): string[] {
  if (!scores?.length) return [];
  return ['## Zero-shot accuracy', '', ...taskLayerGroups(scores).flatMap(zeroShotBlock)];
}

/** Accuracy per language and method (with the word count), then macro-F1 when recorded. */
function zeroShotBlock({ heading, items: scores }: TaskLayerGroup<ZeroShotScore>): string[] {
  const methods = distinct(scores.map((r) => r.method));
  const ci = scores.find((r) => r.ci)?.ci;
  const byLanguage = [...groupBy(scores, (r) => r.language)];
  const lines = [
    `### ${heading}`,
    '',
    `Word accuracy in %${ci ? ` with ${level(ci)} bootstrap intervals over sentences` : ''}.`,
    '',
    table(
      ['Language', ...methods, 'Words'],
      byLanguage.map(([language, own]) => [
        language,
        ...methodCells(own, methods, accuracyCell),
        String(Math.max(...own.map((o) => o.n))),
      ]),
    ),
    '',
  ];
  if (scores.some((r) => r.macroF1 !== undefined)) {
    lines.push(
      'Macro-F1 in %.',
      '',
      table(
        ['Language', ...methods],
        byLanguage.map(([language, own]) => [language, ...methodCells(own, methods, macroF1Cell)]),
      ),
      '',
    );
  }
  return lines;
}

function gapSection(gaps: GapSummary[] | undefined): string[] {
  if (!gaps?.length) return [];
  return [
    '## Gaps between languages',
    '',
    'Spread of per-language scores, and the high- minus low-resource gap with a bootstrap interval over languages; ' +
      'Δ gap < 0 means the method narrows the gap relative to the baseline.',
    '',
    table(
      ['Task', 'Method', 'Mean', 'Std', 'Range', 'IQR', 'Gap (high − low)', 'Δ gap vs baseline', 'p'],
      gaps.map((g) => [g.task.toUpperCase(), g.method, ...gapCells(g)]),
    ),
    '',
  ];
}

function fewShotSection(curves: FewShotCurve[] | undefined): string[] {
  if (!curves?.length) return [];
  return ['## Few-shot curves', '', ...fewShotGroups(curves).flatMap(fewShotBlock)];
}

function fewShotBlock({ heading, language, curves }: FewShotGroup): string[] {
  const { header, rows, mean } = fewShotTable(curves);
  const notes = fewShotMethodNotes(curves.map((c) => c.method));
  return [
    `### ${heading}`,
    '',
    `Word accuracy in %, ${mean} [interval over seeds], ` +
      `by number N of ${language} support sentences; one row per method.`,
    '',
    table(header, rows),
    '',
    ...(notes ? [notes, ''] : []),
  ];
}

function learningCurveSection(curves: LearningCurve[] | undefined): string[] {
  if (!curves?.length) return [];
  return ['## Meta-learning curves', '', ...curves.flatMap(learningCurveBlock)];
}

/** The curve's summary, then (when it has epochs) a table of them with the best one in bold. */
function learningCurveBlock(c: LearningCurve): string[] {
  const { rows, step } = curveRows(c);
  const lines = [
    `### ${c.task.toUpperCase()}, layer ${c.layer}: ${learnerLabel(c.learner)}`,
    '',
    learningCurveSummary(c),
    '',
  ];
  if (rows.length === 0) return lines;
  return [
    ...lines,
    table(
      ['Epoch', 'Loss', 'Validation accuracy'],
      rows.map((p) => {
        const cells = curveCells(p);
        return p.epoch === c.bestEpoch ? cells.map((v) => `**${v}**`) : cells;
      }),
    ),
    '',
    `Best epoch in bold${step > 1 ? `; one row every ${step} epochs, plus the best and the last` : ''}; validation accuracy in %.`,
    '',
  ];
}

function layerSweepSection(sweep: LayerSweepSeries[] | undefined): string[] {
  if (!sweep?.length) return [];
  return ['## Layer sweep', '', ...sweep.flatMap(layerSweepBlock)];
}

/** One row per layer in order, the best layer in bold. */
function layerSweepBlock(s: LayerSweepSeries): string[] {
  const best = bestLayerPoint(s);
  return [
    `### ${s.task.toUpperCase()}: ${s.quantity}`,
    '',
    table(
      ['Layer', s.quantity],
      [...s.points]
        .sort((a, b) => a.layer - b.layer)
        .map((p) => [
          p === best ? `**${p.layer}**` : String(p.layer),
          `${fixed(p.value)}${p.lower !== undefined && p.upper !== undefined ? ` [${fixed(p.lower)}, ${fixed(p.upper)}]` : ''}`,
        ]),
    ),
    '',
    `Best layer: ${best.layer}.`,
    '',
  ];
}

/** One line per projection; the map itself is only in the HTML report. */
function projectionSection(projections: PrototypeProjection[] | undefined): string[] {
  if (!projections?.length) return [];
  return ['## Prototype projections', '', ...projections.map(projectionLine), ''];
}

function projectionLine(p: PrototypeProjection): string {
  const languages = distinct(p.points.map((q) => q.language));
  const labels = distinct(p.points.map((q) => q.label));
  return (
    `- ${p.task ? p.task.toUpperCase() : 'Prototypes'}${p.layer !== undefined ? `, layer ${p.layer}` : ''}${p.space ? `, ${p.space} space` : ''}: ` +
    `${p.points.length} prototypes (${labels.length} labels × ${languages.length} languages); ` +
    `PC 1 and 2 explain ${percent(p.explainedVarianceRatio[0])}% and ${percent(p.explainedVarianceRatio[1])}% of the variance (see report.html).`
  );
}

/** ICL accuracy per task, the states as concepts (as the zero-shot tables) and the relation. */
function iclSection(icl: IclSection | undefined): string[] {
  if (!icl) return [];
  return [
    '## In-context learning',
    '',
    iclSettingsSentence(icl),
    '',
    ...iclAccuracyGroups(icl).flatMap(({ heading, rows }) => [
      `### ${heading}: accuracy by demonstration source`,
      '',
      table(ICL_ACCURACY_COLUMNS, iclAccuracyRows(rows)),
      '',
    ]),
    ...taskLayerGroups(icl.concepts).flatMap((group) =>
      zeroShotBlock({ ...group, heading: `${group.heading}: the ICL states as concepts` }),
    ),
    ...icl.relation.flatMap((r) => [
      `### ${iclRelationHeading(r)}`,
      '',
      ...(r.points.length > 0 ? [table(iclRelationColumns(r), iclRelationRows(r)), ''] : []),
      correlationSentence(r),
      '',
    ]),
  ];
}

function warningSection(warnings: string[] | undefined): string[] {
  if (!warnings?.length) return [];
  return ['## Warnings', '', ...warnings.map((w) => `- ${w}`), ''];
}
