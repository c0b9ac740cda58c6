import type { LearningCurve } from '../experiment-result.js';
import { plotLines } from './line-chart.js';
import {
  categoricalColors,
  escapeXml,
  legend,
  linearScale,
  niceTicks,
  openSvg,
  px,
  tickLabel,
  yAxis,
} from './svg.js';

/** A y domain padded by 8% of the data range (or around a single value). */
function paddedDomain(values: readonly number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.08 || Math.abs(lo) * 0.1 || 0.1;
  return [lo - pad, hi + pad];
}

/** `0.7125` → `71.3%` without float noise in tick labels. */
function percentTick(v: number): string {
  return `${Number((v * 100).toPrecision(3))}%`;
}

/**
 * A meta-learner's training curve: the loss per epoch in an upper panel and the validation
 * accuracy per epoch in a lower panel sharing the epoch axis (the lower panel is left out when no
 * epoch has a validation accuracy), with the kept epoch marked by a dashed vertical line across
 * both panels and a ring on each curve. Lines and points carry `data-mark` (`line`, `point`), the
 * best-epoch line `data-mark="best-epoch"`. The curve must have at least one point.
 */
export function renderLearningCurveChart(curve: LearningCurve, title: string): string {
  const width = 460;
  const left = 60;
  const right = 16;
  const panelHeight = 130;
  const panelGap = 26;
  const [lossColor, accuracyColor] = categoricalColors(2);
  const points = [...curve.points].sort((a, b) => a.epoch - b.epoch);
  const validated = points.filter(
    (p): p is { epoch: number; loss: number; validationAccuracy: number } => p.validationAccuracy !== null,
  );
  const hasAccuracy = validated.length > 0;
  const entries = [
    { label: 'loss', color: lossColor, shape: 'line' as const },
    ...(hasAccuracy ? [{ label: 'validation accuracy', color: accuracyColor, shape: 'line' as const }] : []),
    { label: `best epoch (${curve.bestEpoch})`, color: '#555', shape: 'line' as const, dashed: true },
  ];
  const legendBlock = legend(entries, left, 28, width - left - right);
  const top = 34 + legendBlock.height;
  const panels = hasAccuracy ? 2 : 1;
  const plotBottom = top + panels * panelHeight + (panels - 1) * panelGap;
  const height = plotBottom + 48;

  const epochs = points.map((p) => p.epoch);
  let x0 = Math.min(...epochs);
  let x1 = Math.max(...epochs);
  if (x0 === x1) {
    x0 -= 1;
    x1 += 1;
  }
  const x = linearScale([x0, x1], [left + 10, width - right - 10]);
  const description =
    `Loss${hasAccuracy ? ' and validation accuracy' : ''} of the ${curve.learner} learner at each of ${points.length} epochs; ` +
    `epoch ${curve.bestEpoch} was kept${curve.converged ? ' (validation accuracy plateaued)' : ' (not converged)'}.` +
    (hasAccuracy ? '' : ' No validation accuracy was recorded.');
  const parts: string[] = [openSvg('learning-curve', width, height, title, description)];
  parts.push(`<text class="chart-title" x="8" y="18">${escapeXml(title)}</text>`, legendBlock.svg);

  const best = points.find((p) => p.epoch === curve.bestEpoch);
  const panel = (
    index: number,
    label: string,
    color: string,
    values: { x: number; y: number }[],
    format: (v: number) => string,
  ) => {
    const panelTop = top + index * (panelHeight + panelGap);
    const domain = paddedDomain(values.map((v) => v.y));
    const y = linearScale(domain, [panelTop + panelHeight, panelTop]);
    parts.push(
      yAxis(niceTicks(domain[0], domain[1], 3), y, left, width - right, format),
      `<line class="axis" x1="${px(left)}" y1="${px(panelTop + panelHeight)}" x2="${px(width - right)}" y2="${px(panelTop + panelHeight)}"/>`,
      `<text class="axis-label" transform="translate(14, ${px(panelTop + panelHeight / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(label)}</text>`,
      plotLines([{ name: label, points: values }], [color], x, y, 'epoch'),
    );
    const kept = values.find((v) => v.x === curve.bestEpoch);
    if (kept) {
      parts.push(
        `<circle cx="${px(x(kept.x))}" cy="${px(y(kept.y))}" r="6" fill="none" stroke="${color}" stroke-width="2">` +
          `<title>${escapeXml(`best epoch ${kept.x}: ${label} ${format(kept.y)}`)}</title></circle>`,
      );
    }
  };
  panel(
    0,
    'loss',
    lossColor,
    points.map((p) => ({ x: p.epoch, y: p.loss })),
    tickLabel,
  );
  if (hasAccuracy) {
    panel(
      1,
      'validation accuracy',
      accuracyColor,
      validated.map((p) => ({ x: p.epoch, y: p.validationAccuracy })),
      percentTick,
    );
  }

  for (const t of niceTicks(x0, x1, 6).filter((t) => Number.isInteger(t))) {
    parts.push(
      `<text class="tick" x="${px(x(t))}" y="${px(plotBottom + 16)}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>`,
    );
  }
  parts.push(
    `<text class="axis-label" x="${px((left + width - right) / 2)}" y="${px(plotBottom + 36)}" text-anchor="middle">epoch</text>`,
  );
  if (curve.bestEpoch >= x0 && curve.bestEpoch <= x1) {
    const bx = x(curve.bestEpoch);
    parts.push(
      `<line data-mark="best-epoch" x1="${px(bx)}" y1="${px(top - 4)}" x2="${px(bx)}" y2="${px(plotBottom)}" stroke="#555" stroke-width="1.2" stroke-dasharray="5 3">` +
        `<title>${escapeXml(
          `best epoch ${curve.bestEpoch}${best ? `: loss ${tickLabel(best.loss)}${best.validationAccuracy !== null ? `, validation accuracy ${percentTick(best.validationAccuracy)}` : ''}` : ''}`,
        )}</title></line>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
