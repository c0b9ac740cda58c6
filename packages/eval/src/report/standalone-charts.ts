// The report's charts as standalone SVG strings, for notebooks (a kernel's SVG display), pages
// and files: the same drawing code as the HTML report, with the chart styles inside each SVG.
import { InvalidArgumentError } from '@xling/core';
import { renderAlignabilityHeatmap } from './charts/alignability-heatmap.js';
import { standaloneSvg } from './charts/chart-style.js';
import { renderFewShotChart } from './charts/few-shot-chart.js';
import { renderGapChart } from './charts/gap-chart.js';
import { renderLanguageBars } from './charts/language-bars.js';
import { renderLearningCurveChart } from './charts/learning-curve-chart.js';
import { type LineChartOptions, type LineSeries, renderLineChart } from './charts/line-chart.js';
import { renderPrototypeMap } from './charts/prototype-map.js';
import type {
  AlignabilityMatrix,
  FewShotCurve,
  GapSummary,
  LearningCurve,
  PrototypeProjection,
  ZeroShotScore,
} from './experiment-result.js';

export type { LineChartOptions, LineSeries };

/** Heatmap of an alignability matrix, languages in average-linkage order, `*` where p < 0.05. */
export function alignabilityHeatmapSvg(matrix: AlignabilityMatrix): string {
  return standaloneSvg(renderAlignabilityHeatmap(matrix));
}

/** Per-language accuracy bars with bootstrap whiskers, methods side by side. */
export function languageBarsSvg(scores: readonly ZeroShotScore[], title: string): string {
  return standaloneSvg(renderLanguageBars(scores, title));
}

/** Few-shot accuracy against N (log scale) per method, bands over seeds, flat baselines dashed. */
export function fewShotChartSvg(curves: readonly FewShotCurve[], title: string, language: string): string {
  return standaloneSvg(renderFewShotChart(curves, title, language));
}

/** Forest plot of the low- vs high-resource accuracy gap per method. */
export function gapChartSvg(gaps: readonly GapSummary[], title: string): string {
  return standaloneSvg(renderGapChart(gaps, title));
}

/** A meta-learner's loss and validation accuracy per epoch, the kept epoch marked. */
export function learningCurveSvg(curve: LearningCurve, title: string): string {
  return standaloneSvg(renderLearningCurveChart(curve, title));
}

/** 2-D map of the prototypes of all languages (a shared PCA of the prototypes). */
export function prototypeMapSvg(projection: PrototypeProjection, title: string): string {
  return standaloneSvg(renderPrototypeMap(projection, title));
}

/**
 * Any line chart (e.g. a layer sweep), points with optional intervals.
 * @throws XLING_INVALID_ARGUMENT when no series has a point, or a point is not finite
 */
export function lineChartSvg(series: readonly LineSeries[], options: LineChartOptions): string {
  const points = series.flatMap((s) => s.points);
  if (points.length === 0)
    throw new InvalidArgumentError('series', 'lineChartSvg', 'must hold at least one point, but has none.');
  const bad = points.find((p) => ![p.x, p.y, p.lower ?? 0, p.upper ?? 0].every(Number.isFinite));
  if (bad)
    throw new InvalidArgumentError(
      'series',
      'lineChartSvg',
      `must hold finite numbers, but has ${JSON.stringify(bad)}.`,
    );
  return standaloneSvg(renderLineChart(series, options));
}
