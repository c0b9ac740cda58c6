import { checkOptions } from '@xling/core';
import { renderAlignabilityHeatmap } from './charts/alignability-heatmap.js';
import { CHART_CSS } from './charts/chart-style.js';
import { htmlTable } from './html-table.js';
import { renderFewShotChart } from './charts/few-shot-chart.js';
import { renderGapChart } from './charts/gap-chart.js';
import { renderIclScatter } from './charts/icl-scatter.js';
import { renderLanguageBars } from './charts/language-bars.js';
import { renderLearningCurveChart } from './charts/learning-curve-chart.js';
import { renderLineChart } from './charts/line-chart.js';
import { renderPrototypeMap } from './charts/prototype-map.js';
import {
  accuracyCell,
  bestLayerPoint,
  curveCells,
  type FewShotGroup,
  fewShotGroups,
  fewShotMethodNotes,
  fewShotTable,
  learnerLabel,
  learningCurveSummary,
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
import { distinct, escapeXml, groupBy, resetIds } from './charts/svg.js';
import type {
  AlignabilityMatrix,
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
import { fixed, gapCells, level, matrixCaption, offDiagonalMean, titleOf } from './format.js';
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

/** Options of {@link renderHtmlReport}. */
export interface RenderHtmlReportOptions {
  /**
   * Include the small inline script that checks, once the page has laid out, that every chart
   * has a non-empty box and marks it `data-rendered="true"` (used by the browser test; harmless
   * to readers).
   * @defaultValue true
   */
  selfCheck?: boolean;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.lede { color: #555; margin: 0 0 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; background: #fff; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: right; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure { margin: 0; background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; padding: 8px; overflow-x: auto; max-width: 100%; }
figcaption { font-size: 12px; color: #555; padding: 4px 4px 0; max-width: 600px; }
${CHART_CSS}
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 6px 10px; margin: 8px 0; }
tr.flagged > * { background: #fdecea; }
tr.flagged > th:first-child { box-shadow: inset 4px 0 0 #c62828; }
tr.mean > * { font-weight: 600; border-top: 2px solid #bbb; }
tr.best > * { font-weight: 600; }
ul.flags li { margin: 2px 0; }
details { margin: 4px 0 16px; } summary { cursor: pointer; color: #333; }
code { font-size: 12px; }
`;

// Runs after layout: a chart counts as rendered when its box and its drawn content are non-empty
// and it holds at least one data mark. Results go into attributes so `chromium --dump-dom` shows them.
const SELF_CHECK = `(function () {
  var charts = document.querySelectorAll('svg[data-chart]');
  var rendered = 0;
  for (var i = 0; i < charts.length; i++) {
    var svg = charts[i];
    var box = svg.getBoundingClientRect();
    var content = svg.getBBox();
    var marks = svg.querySelectorAll('[data-mark]').length;
    var ok = box.width > 0 && box.height > 0 && content.width > 0 && content.height > 0 && marks > 0;
    svg.setAttribute('data-rendered', ok ? 'true' : 'false');
    svg.setAttribute('data-box', Math.round(box.width) + 'x' + Math.round(box.height));
    if (ok) rendered++;
  }
  document.body.setAttribute('data-charts-total', String(charts.length));
  document.body.setAttribute('data-charts-rendered', String(rendered));
})();`;

function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${escapeXml(caption)}</figcaption></figure>`;
}

/**
 * Renders an experiment result as one self-contained HTML file: inline CSS, inline SVG charts
 * and no external scripts, fonts or images (a Content-Security-Policy forbids them). Charts: an
 * alignability heatmap per matrix with languages in average-linkage order, per-language accuracy
 * bars with bootstrap whiskers (methods side by side), a forest plot of the low- vs high-resource
 * gap per method, few-shot curves with interval bands (flat baselines dashed), meta-learners'
 * loss and validation accuracy per epoch with the kept epoch marked, the layer sweep, and a 2-D
 * map of the prototypes of all languages; the in-language probes are a table beside their
 * controls with flagged rows shaded and marked ⚑. Every chart is an `<svg role="img">` with a
 * title, a description and `data-chart` (`heatmap`, `language-bars`, `gap`, `few-shot-curve`,
 * `learning-curve`, `layer-sweep`, `prototype-map`, `icl-scatter`: ICL accuracy against
 * alignability with the source); tables repeat the numbers.
 *
 * @param result - a result that passes {@link validateExperimentResult}
 * @returns the HTML document
 * @throws XLING_INVALID_ARGUMENT naming the bad key when `result` breaks the schema.
 * @example
 * await writeFile('report.html', renderHtmlReport(result));
 */
export function renderHtmlReport(result: ExperimentResult, options: RenderHtmlReportOptions = {}): string {
  checkOptions(options, { selfCheck: { type: 'boolean', optional: true } }, 'renderHtmlReport');
  parseExperimentResult(result, 'renderHtmlReport');
  const { selfCheck = true } = options ?? {};
  // Chart ids restart per document; the sections below draw their charts in document order.
  resetIds();
  const body = [
    ...runSection(result),
    ...alignabilitySection(result.alignability, result.run.prototypes),
    ...probeSection(result.probes),
    ...zeroShotSection(result.zeroShot),
    ...gapSection(result.gaps),
    ...fewShotSection(result.fewShot),
    ...learningCurveSection(result.learningCurves),
    ...layerSweepSection(result.layerSweep),
    ...projectionSection(result.projections),
    ...iclSection(result.icl),
    ...warningSection(result.warnings),
  ];
  return htmlDocument(result, body, selfCheck);
}

/** The page around the body parts (one line each): head with CSP and style, optional self-check. */
function htmlDocument(result: ExperimentResult, body: string[], selfCheck: boolean): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="@xling/eval, report schema ${result.schemaVersion}">`,
    `<title>${escapeXml(titleOf(result))}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<main>${body.join('\n')}</main>`,
    selfCheck ? `<script>${SELF_CHECK}</script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// Each section below returns its body parts, or none without data.

/** Title, lede, settings table, split substitutions and notes. */
function runSection(result: ExperimentResult): string[] {
  const { run } = result;
  return [
    `<h1>${escapeXml(titleOf(result))}</h1>`,
    `<p class="lede">${escapeXml(`${run.model.name}, layer ${run.layer}, source language ${run.sourceLanguage}, UD ${run.ud.version}`)}</p>`,
    htmlTable(
      ['Setting', 'Value'],
      [
        ...runSettingRows(run),
        ['Treebanks', run.ud.treebanks.map((t) => t.treebank).join(', ') || '–'],
        ...(run.resourceGroups
          ? [
              ['Low-resource', run.resourceGroups.low.join(', ') || '–'],
              ['High-resource', run.resourceGroups.high.join(', ') || '–'],
            ]
          : []),
        ['Config hash', run.configHash],
        ['Created', run.createdAt],
      ],
    ),
    ...run.splitSubstitutions.map(
      (s) =>
        `<p class="note">${escapeXml(`${s.treebank} (${s.language}): ${s.used} split used instead of ${s.insteadOf} — ${s.reason}`)}</p>`,
    ),
    ...(run.notes ?? []).map((note) => `<p class="note">${escapeXml(note)}</p>`),
  ];
}

function alignabilitySection(
  matrices: AlignabilityMatrix[] | undefined,
  prototypes: RunMetadata['prototypes'],
): string[] {
  if (!matrices?.length) return [];
  const sentence = prototypesSentence(prototypes);
  return [
    `<section id="alignability"><h2>Alignability</h2>${sentence ? `<p>${escapeXml(sentence)}</p>` : ''}<div class="charts">`,
    ...matrices.map((m) => {
      const control = offDiagonalMean(m.control);
      return figure(
        renderAlignabilityHeatmap(m),
        `${matrixCaption(m)}. Mean off-diagonal ${fixed(offDiagonalMean(m.values))}${control !== undefined ? `; random-label control ${fixed(control)}` : ''}.`,
      );
    }),
    '</div></section>',
  ];
}

function probeSection(probes: ProbeSummary[] | undefined): string[] {
  if (!probes?.length) return [];
  return [
    `<section id="probes"><h2>Probes and their controls</h2><p>${escapeXml(PROBE_LEGEND)} Flagged rows are marked ⚑ and shaded.</p>`,
    ...taskLayerGroups(probes).flatMap(probeBlock),
    '</section>',
  ];
}

/** Heading, the probe table with flagged rows shaded (their flags in the row's title), flag list. */
function probeBlock({ heading, items: probes }: TaskLayerGroup<ProbeSummary>): string[] {
  const flagged = probes.filter((p) => p.flags.length > 0);
  return [
    `<h3>${escapeXml(heading)}</h3>`,
    htmlTable(
      PROBE_COLUMNS,
      [...probes.map(markedProbeCells), probeMeanCells(probes)],
      [
        ...probes.map((p) =>
          p.flags.length > 0
            ? ` class="flagged" data-flagged="true" title="${escapeXml(p.flags.join('; '))}"`
            : '',
        ),
        ' class="mean"',
      ],
    ),
    flagged.length === 0
      ? '<p>No probe is flagged.</p>'
      : `<p>Flagged probes:</p><ul class="flags">${flagged.map((p) => `<li>${escapeXml(probeFlagLine(p))}</li>`).join('')}</ul>`,
  ];
}

function zeroShotSection(scores: ZeroShotScore[] | undefined): string[] {
  if (!scores?.length) return [];
  return [
    '<section id="zero-shot"><h2>Zero-shot accuracy</h2>',
    ...taskLayerGroups(scores).flatMap(zeroShotBlock),
    '</section>',
  ];
}

/** Accuracy bars per language and method, then the same numbers as a table. */
function zeroShotBlock({ heading, items: scores }: TaskLayerGroup<ZeroShotScore>): string[] {
  const ci = scores.find((r) => r.ci)?.ci;
  const methods = distinct(scores.map((r) => r.method));
  return [
    `<div class="charts">${figure(
      renderLanguageBars(scores, `Zero-shot word accuracy, ${heading}`),
      ci ? `Whiskers: ${level(ci)} percentile bootstrap intervals over sentences.` : 'No intervals recorded.',
    )}</div>`,
    htmlTable(
      ['Language', ...methods],
      [...groupBy(scores, (r) => r.language)].map(([language, own]) => [
        language,
        ...methodCells(own, methods, accuracyCell),
      ]),
    ),
  ];
}

function gapSection(gaps: GapSummary[] | undefined): string[] {
  if (!gaps?.length) return [];
  const charts = gapCharts(gaps);
  return [
    '<section id="gaps"><h2>Gaps between languages</h2>',
    '<p>Spread across languages and the high- minus low-resource gap (percentage points, bootstrap interval over languages). ' +
      'A negative Δ gap whose interval excludes 0 means the method narrows the gap relative to the baseline.</p>',
    ...(charts.length > 0 ? [`<div class="charts">${charts.join('')}</div>`] : []),
    htmlTable(
      ['Method', 'Task', 'Mean', 'Std', 'Range', 'IQR', 'Gap', 'Δ gap vs baseline', 'p'],
      gaps.map((g) => [g.method, g.task.toUpperCase(), ...gapCells(g)]),
    ),
    '</section>',
  ];
}

/** One forest plot per task, layer and metric that has low- vs high-resource gaps. */
function gapCharts(gaps: GapSummary[]): string[] {
  const charts: string[] = [];
  for (const [key, group] of groupBy(
    gaps,
    (g) => `${g.task}\u0000${g.layer ?? ''}\u0000${g.metric ?? 'accuracy'}`,
  )) {
    if (!group.some((g) => g.gap !== undefined)) continue;
    const [task, layer, metric] = key.split('\u0000');
    const chartTitle = `Low- vs high-resource gap in ${metric}, ${task.toUpperCase()}${layer ? `, layer ${layer}` : ''}`;
    charts.push(
      figure(
        renderGapChart(group, chartTitle),
        'Dots: gap; whiskers: bootstrap interval over languages. Left of the dashed line: low-resource languages ahead.',
      ),
    );
  }
  return charts;
}

/** All few-shot charts side by side, then their tables. */
function fewShotSection(curves: FewShotCurve[] | undefined): string[] {
  if (!curves?.length) return [];
  const groups = fewShotGroups(curves);
  return [
    '<section id="few-shot"><h2>Few-shot curves</h2>',
    '<div class="charts">',
    ...groups.map(fewShotChart),
    '</div>',
    ...groups.flatMap(fewShotTableParts),
    '</section>',
  ];
}

/** Accuracy against N (log scale) with bands over seeds; flat baselines dashed. */
function fewShotChart({ heading, language, curves }: FewShotGroup): string {
  const notes = fewShotMethodNotes(curves.map((c) => c.method));
  return figure(
    renderFewShotChart(curves, `Few-shot ${heading}`, language),
    `Mean over seeds; bands: interval over seeds.${notes ? ` ${notes}` : ''}`,
  );
}

function fewShotTableParts({ heading, curves }: FewShotGroup): string[] {
  const { header, rows, mean } = fewShotTable(curves);
  return [
    `<h3>${escapeXml(`Few-shot ${heading}: word accuracy in %, ${mean} [interval over seeds]`)}</h3>`,
    htmlTable(header, rows),
  ];
}

/** All learning-curve charts side by side (a sentence for a curve without epochs), then per-epoch tables. */
function learningCurveSection(curves: LearningCurve[] | undefined): string[] {
  if (!curves?.length) return [];
  return [
    '<section id="learning-curves"><h2>Meta-learning curves</h2>',
    '<div class="charts">',
    ...curves.map(learningCurveChart),
    '</div>',
    ...curves.filter((c) => c.points.length > 0).flatMap(learningCurveDetails),
    '</section>',
  ];
}

function learningCurveTitle(c: LearningCurve): string {
  return `${learnerLabel(c.learner)}, ${c.task.toUpperCase()}, layer ${c.layer}`;
}

function learningCurveChart(c: LearningCurve): string {
  const summary = learningCurveSummary(c);
  if (c.points.length === 0) return `<p>${escapeXml(`${learningCurveTitle(c)}: ${summary}`)}</p>`;
  return figure(renderLearningCurveChart(c, learningCurveTitle(c)), summary);
}

/** A collapsed table of every epoch, the kept epoch marked. */
function learningCurveDetails(c: LearningCurve): string[] {
  return [
    `<details><summary>${escapeXml(`${learningCurveTitle(c)}: every epoch (loss, validation accuracy in %)`)}</summary>`,
    htmlTable(
      ['Epoch', 'Loss', 'Validation accuracy'],
      c.points.map(curveCells),
      c.points.map((p) => (p.epoch === c.bestEpoch ? ' class="best" data-best-epoch="true"' : '')),
    ),
    '</details>',
  ];
}

/** One chart per task with every swept quantity; the caption names each one's best layer. */
function layerSweepSection(sweep: LayerSweepSeries[] | undefined): string[] {
  if (!sweep?.length) return [];
  return [
    '<section id="layer-sweep"><h2>Layer sweep</h2><div class="charts">',
    ...[...groupBy(sweep, (s) => s.task)].map(([task, series]) =>
      figure(
        renderLineChart(
          series.map((s) => ({
            name: s.quantity,
            points: s.points.map((p) => ({ x: p.layer, y: p.value, lower: p.lower, upper: p.upper })),
          })),
          {
            kind: 'layer-sweep',
            title: `Layer sweep, ${task.toUpperCase()}`,
            description: `${series.map((s) => s.quantity).join(', ')} at each layer.`,
            xLabel: 'layer',
            yLabel: 'value',
            width: 560,
          },
        ),
        series.map((s) => `${s.quantity}: best layer ${bestLayerPoint(s).layer}`).join('; '),
      ),
    ),
    '</div></section>',
  ];
}

function projectionSection(projections: PrototypeProjection[] | undefined): string[] {
  if (!projections?.length) return [];
  return [
    '<section id="prototypes"><h2>Prototype map</h2><div class="charts">',
    ...projections.map((p) =>
      figure(
        renderPrototypeMap(
          p,
          `Prototypes of all languages${p.task ? `, ${p.task.toUpperCase()}` : ''}${p.layer !== undefined ? `, layer ${p.layer}` : ''}${p.space ? ` (${p.space})` : ''}`,
        ),
        'First two principal components of the stacked prototypes; one colour per concept. Hover a point for its language.',
      ),
    ),
    '</div></section>',
  ];
}

/** A table per task, the concept bars and tables, and a scatter of accuracy against alignability. */
function iclSection(icl: IclSection | undefined): string[] {
  if (!icl) return [];
  return [
    `<section id="icl"><h2>In-context learning</h2><p>${escapeXml(iclSettingsSentence(icl))}</p>`,
    ...iclAccuracyGroups(icl).flatMap(({ heading, rows }) => [
      `<h3>${escapeXml(`${heading}: accuracy by demonstration source`)}</h3>`,
      htmlTable(ICL_ACCURACY_COLUMNS, iclAccuracyRows(rows)),
    ]),
    ...taskLayerGroups(icl.concepts).flatMap((group) => [
      `<h3>${escapeXml(`${group.heading}: the ICL states as concepts`)}</h3>`,
      ...zeroShotBlock(group),
    ]),
    ...icl.relation.flatMap((r) => [
      `<h3>${escapeXml(iclRelationHeading(r))}</h3>`,
      ...(r.points.length > 0
        ? [
            `<div class="charts">${figure(renderIclScatter(r, iclRelationHeading(r)), correlationSentence(r))}</div>`,
            htmlTable(iclRelationColumns(r), iclRelationRows(r)),
          ]
        : [`<p>${escapeXml(correlationSentence(r))}</p>`]),
    ]),
    '</section>',
  ];
}

function warningSection(warnings: string[] | undefined): string[] {
  if (!warnings?.length) return [];
  return [
    `<section id="warnings"><h2>Warnings</h2><ul>${warnings.map((w) => `<li>${escapeXml(w)}</li>`).join('')}</ul></section>`,
  ];
}
