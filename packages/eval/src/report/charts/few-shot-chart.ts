import type { FewShotCurve } from '../experiment-result.js';
import { renderLineChart } from './line-chart.js';
import { isFlatBaseline } from './section-cells.js';

/**
 * Few-shot accuracy against the number of support sentences N (log scale), one line per method
 * with its band over seeds; flat baselines (methods that do not use the N sentences) dashed.
 */
export function renderFewShotChart(curves: readonly FewShotCurve[], title: string, language: string): string {
  return renderLineChart(
    curves.map((c) => ({
      name: c.method,
      points: c.points.map((p) => ({ x: p.n, y: p.mean, lower: p.lower, upper: p.upper })),
      dashed: isFlatBaseline(c.method),
    })),
    {
      kind: 'few-shot-curve',
      title,
      description: `Accuracy against the number of ${language} support sentences (log scale) for ${curves.length} methods; bands show the interval over seeds.`,
      xLabel: 'support sentences (N)',
      yLabel: 'accuracy',
      logX: true,
      yFormat: (v) => `${Math.round(v * 100)}%`,
    },
  );
}
