import type { PrototypeProjection } from '../experiment-result.js';
import {
  categoricalColors,
  distinct,
  escapeXml,
  legend,
  legendHeight,
  linearScale,
  openSvg,
  px,
} from './svg.js';

/**
 * Scatter of 2-D prototype coordinates of all languages, one colour per concept label (so a
 * well-aligned space shows one tight cluster per colour), the label name at each label's centroid.
 * Points carry `data-mark="point"` and a tooltip naming language and label.
 */
export function renderPrototypeMap(projection: PrototypeProjection, title: string): string {
  const width = 640;
  const labels = distinct(projection.points.map((p) => p.label));
  const languages = distinct(projection.points.map((p) => p.language));
  const colors = categoricalColors(labels.length);
  const colorOf = new Map(labels.map((l, i) => [l, colors[i]]));
  const left = 40;
  const right = 16;
  const legendH = legendHeight(labels, width - left - right);
  const top = 34 + legendH;
  const plotSize = 440;
  const height = top + plotSize + 44;
  const xs = projection.points.map((p) => p.x);
  const ys = projection.points.map((p) => p.y);
  const pad = (lo: number, hi: number): [number, number] => {
    const span = hi - lo || 1;
    return [lo - span * 0.06, hi + span * 0.06];
  };
  const x = linearScale(pad(Math.min(...xs), Math.max(...xs)), [left, width - right]);
  const y = linearScale(pad(Math.min(...ys), Math.max(...ys)), [top + plotSize, top]);
  const [r1, r2] = projection.explainedVarianceRatio.map((r) => `${(r * 100).toFixed(1)}%`);
  const description = `Scatter plot of ${projection.points.length} prototypes (${labels.length} labels, ${languages.length} languages) on their first two principal components.`;
  const parts: string[] = [openSvg('prototype-map', width, height, title, description)];
  parts.push(`<text class="chart-title" x="8" y="18">${escapeXml(title)}</text>`);
  parts.push(
    legend(
      labels.map((l) => ({ label: l, color: colorOf.get(l) as string, shape: 'circle' as const })),
      left,
      28,
      width - left - right,
    ).svg,
  );
  parts.push(
    `<rect class="frame" x="${px(left)}" y="${px(top)}" width="${px(width - left - right)}" height="${px(plotSize)}"/>`,
    `<text class="axis-label" x="${px((left + width - right) / 2)}" y="${px(top + plotSize + 30)}" text-anchor="middle">PC 1 (${r1} of variance)</text>`,
    `<text class="axis-label" transform="translate(16, ${px(top + plotSize / 2)}) rotate(-90)" text-anchor="middle">PC 2 (${r2})</text>`,
  );
  for (const p of projection.points) {
    parts.push(
      `<circle data-mark="point" cx="${px(x(p.x))}" cy="${px(y(p.y))}" r="4" fill="${colorOf.get(p.label)}" fill-opacity="0.8">` +
        `<title>${escapeXml(`${p.language} · ${p.label}`)}</title></circle>`,
    );
  }
  for (const label of labels) {
    const own = projection.points.filter((p) => p.label === label);
    const cx = own.reduce((s, p) => s + p.x, 0) / own.length;
    const cy = own.reduce((s, p) => s + p.y, 0) / own.length;
    parts.push(
      `<text class="point-label" x="${px(x(cx))}" y="${px(y(cy) - 7)}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
