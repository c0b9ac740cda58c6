import type { IclRelation } from '../experiment-result.js';
import { fixed, percent } from '../format.js';
import { escapeXml, linearScale, niceTicks, openSvg, px, tickLabel, yAxis } from './svg.js';

/** A domain around `values` with a little room on both sides (a span for a single value). */
function padded(values: number[]): [number, number] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = (max - min) * 0.08 || 0.05;
  return [min - pad, max + pad];
}

/**
 * Scatter plot of each target's ICL accuracy (y, %) against its alignability with the source (x),
 * one labelled point per language, with Spearman's rho and its interval in the title line.
 * Points carry `data-mark="point"` and `data-language`.
 */
export function renderIclScatter(relation: IclRelation, title: string): string {
  const width = 520;
  const height = 360;
  const left = 56;
  const right = 24;
  const top = 44;
  const bottom = 52;
  const xs = relation.points.map((p) => p.alignability);
  const ys = relation.points.map((p) => p.accuracy);
  const xDomain = padded(xs);
  const yDomain = padded(ys);
  const x = linearScale(xDomain, [left, width - right]);
  const y = linearScale(yDomain, [height - bottom, top]);
  const c = relation.correlation;
  const rho = c
    ? `Spearman ρ = ${fixed(c.rho)} [${fixed(c.lower)}, ${fixed(c.upper)}]`
    : 'no rank correlation';
  const description = `ICL accuracy with source demonstrations against ${relation.metric} alignability with the source for ${relation.points.length} languages; ${rho}.`;
  const parts = [openSvg('icl-scatter', width, height, title, description)];
  parts.push(
    `<text class="chart-title" x="8" y="18">${escapeXml(title)}</text>`,
    `<text class="tick" x="8" y="34">${escapeXml(rho)}</text>`,
    yAxis(niceTicks(yDomain[0], yDomain[1], 5), y, left, width - right, (v) => percent(v, 0)),
  );
  for (const t of niceTicks(xDomain[0], xDomain[1], 5)) {
    parts.push(
      `<line class="grid" x1="${px(x(t))}" y1="${px(top)}" x2="${px(x(t))}" y2="${px(height - bottom)}"/>` +
        `<text class="tick" x="${px(x(t))}" y="${px(height - bottom + 14)}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>`,
    );
  }
  parts.push(
    `<text class="axis-label" x="${px((left + width - right) / 2)}" y="${px(height - 12)}" text-anchor="middle">${escapeXml(`${relation.metric} (${relation.higherIsBetter ? 'higher' : 'lower'} = more alignable)`)}</text>`,
    `<text class="axis-label" x="14" y="${px((top + height - bottom) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${px((top + height - bottom) / 2)})">ICL accuracy (%)</text>`,
  );
  for (const p of relation.points) {
    parts.push(
      `<circle data-mark="point" data-language="${escapeXml(p.language)}" cx="${px(x(p.alignability))}" cy="${px(y(p.accuracy))}" r="5" fill="#0072B2">` +
        `<title>${escapeXml(`${p.language}: accuracy ${percent(p.accuracy)}%, ${relation.metric} ${fixed(p.alignability)}`)}</title></circle>`,
      `<text class="point-label" x="${px(x(p.alignability) + 7)}" y="${px(y(p.accuracy) - 6)}">${escapeXml(p.language)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
