import {
  categoricalColors,
  escapeXml,
  legend,
  legendHeight,
  linearScale,
  logScale,
  niceTicks,
  openSvg,
  px,
  tickLabel,
  yAxis,
} from './svg.js';

/** One line of a {@link renderLineChart}. */
export interface LineSeries {
  name: string;
  points: { x: number; y: number; lower?: number; upper?: number }[];
  /** Draw the line dashed (a flat baseline beside the methods). @defaultValue false */
  dashed?: boolean;
}

/** Options of {@link renderLineChart}. */
export interface LineChartOptions {
  kind: string;
  title: string;
  description: string;
  xLabel: string;
  yLabel: string;
  /** Log x axis (for support sizes 1..50). */
  logX?: boolean;
  /** Fixed y domain, e.g. [0, 1]; otherwise from the data. */
  yDomain?: [number, number];
  /** Formats y ticks. */
  yFormat?: (v: number) => string;
  width?: number;
}

/**
 * Lines with markers and, where points have `lower`/`upper`, a translucent interval band. Used
 * for few-shot curves (log N axis) and layer sweeps. Lines and bands carry `data-mark`.
 */
export function renderLineChart(series: readonly LineSeries[], options: LineChartOptions): string {
  const width = options.width ?? 460;
  const colors = categoricalColors(series.length);
  const left = 56;
  const right = 16;
  const legendH = legendHeight(
    series.map((s) => s.name),
    width - left - right,
  );
  const top = 34 + legendH;
  const plotHeight = 200;
  const height = top + plotHeight + 48;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.flatMap((p) => [p.y, p.lower ?? p.y, p.upper ?? p.y]));
  const logX = options.logX === true && xs.every((v) => v > 0);
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x0 === x1) {
    x0 -= logX ? x0 / 2 : 1;
    x1 += logX ? x1 : 1;
  }
  let [y0, y1] = options.yDomain ?? [Math.min(...ys), Math.max(...ys)];
  if (!options.yDomain) {
    const pad = (y1 - y0) * 0.08 || Math.abs(y0) * 0.1 || 0.1;
    y0 -= pad;
    y1 += pad;
  }
  const x = (logX ? logScale : linearScale)([x0, x1], [left + 10, width - right - 10]);
  const y = linearScale([y0, y1], [top + plotHeight, top]);
  const parts: string[] = [openSvg(options.kind, width, height, options.title, options.description)];
  parts.push(`<text class="chart-title" x="8" y="18">${escapeXml(options.title)}</text>`);
  parts.push(
    legend(
      series.map((s, i) => ({ label: s.name, color: colors[i], shape: 'line' as const, dashed: s.dashed })),
      left,
      28,
      width - left - right,
    ).svg,
  );
  parts.push(yAxis(niceTicks(y0, y1, 4), y, left, width - right, options.yFormat));
  const xTicks = logX
    ? [...new Set(xs)].sort((a, b) => a - b)
    : niceTicks(x0, x1, 6).filter((t) => Number.isInteger(t));
  for (const t of xTicks) {
    parts.push(
      `<text class="tick" x="${px(x(t))}" y="${px(top + plotHeight + 16)}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${px(left)}" y1="${px(top + plotHeight)}" x2="${px(width - right)}" y2="${px(top + plotHeight)}"/>`,
    `<text class="axis-label" x="${px((left + width - right) / 2)}" y="${px(top + plotHeight + 36)}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text class="axis-label" transform="translate(14, ${px(top + plotHeight / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  parts.push(plotLines(series, colors, x, y, options.xLabel));
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The marks of a line chart inside axes drawn by the caller: per series an interval band (where
 * at least two points have `lower`/`upper`), the line and a marker with a tooltip per point
 * (`data-mark` `band`, `line`, `point`). Shared by {@link renderLineChart} and the learning-curve chart.
 */
export function plotLines(
  series: readonly LineSeries[],
  colors: readonly string[],
  x: (v: number) => number,
  y: (v: number) => number,
  xLabel: string,
): string {
  const parts: string[] = [];
  series.forEach((s, i) => {
    const points = [...s.points].sort((a, b) => a.x - b.x);
    const banded = points.filter((p) => p.lower !== undefined && p.upper !== undefined);
    if (banded.length >= 2) {
      const upper = banded.map((p) => `${px(x(p.x))},${px(y(p.upper as number))}`);
      const lower = banded.map((p) => `${px(x(p.x))},${px(y(p.lower as number))}`).reverse();
      parts.push(
        `<polygon data-mark="band" points="${[...upper, ...lower].join(' ')}" fill="${colors[i]}" fill-opacity="0.15" stroke="none"/>`,
      );
    }
    const d = points.map((p, k) => `${k === 0 ? 'M' : 'L'}${px(x(p.x))},${px(y(p.y))}`).join('');
    parts.push(
      `<path data-mark="line" data-series="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${colors[i]}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    for (const p of points) {
      const interval =
        p.lower !== undefined && p.upper !== undefined
          ? ` [${tickLabel(p.lower)}, ${tickLabel(p.upper)}]`
          : '';
      parts.push(
        `<circle data-mark="point" cx="${px(x(p.x))}" cy="${px(y(p.y))}" r="3" fill="${colors[i]}">` +
          `<title>${escapeXml(`${s.name}: ${xLabel} ${tickLabel(p.x)} → ${tickLabel(p.y)}${interval}`)}</title></circle>`,
      );
    }
  });
  return parts.join('');
}
