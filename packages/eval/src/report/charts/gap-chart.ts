import type { GapSummary } from '../experiment-result.js';
import { signedPoints } from '../format.js';
import { categoricalColors, escapeXml, linearScale, niceTicks, openSvg, px } from './svg.js';

/**
 * Forest plot of the high- minus low-resource gap per method (dot = gap, whisker = bootstrap
 * interval over languages), with a zero line and, where present, the paired change against the
 * baseline written beside each row — the chart that answers "does alignment narrow the gap?".
 * Dots carry `data-mark="point"`, whiskers `data-mark="whisker"`.
 */
export function renderGapChart(gaps: readonly GapSummary[], title: string): string {
  const rows = gaps.filter((g) => g.gap !== undefined);
  const colors = categoricalColors(rows.length);
  const labelWidth = 16 + 7 * Math.max(6, ...rows.map((g) => g.method.length));
  const plotWidth = 420;
  const noteWidth = 290;
  const width = labelWidth + plotWidth + noteWidth;
  const rowHeight = 28;
  const top = 40;
  const height = top + rows.length * rowHeight + 50;
  const values = rows.flatMap((g) => [g.gap!.gap, g.gap!.lower, g.gap!.upper, 0]);
  const span = Math.max(...values) - Math.min(...values) || 0.1;
  const domain: [number, number] = [Math.min(...values) - span * 0.08, Math.max(...values) + span * 0.08];
  const x = linearScale(domain, [labelWidth, labelWidth + plotWidth]);
  const description = `Gap between high- and low-resource languages for ${rows.length} methods, in percentage points, with bootstrap intervals over languages; smaller is a narrower gap.`;
  const parts: string[] = [openSvg('gap', width, height, title, description)];
  parts.push(`<text class="chart-title" x="8" y="18">${escapeXml(title)}</text>`);
  const bottom = top + rows.length * rowHeight;
  for (const t of niceTicks(domain[0], domain[1], 6)) {
    parts.push(
      `<line class="grid" x1="${px(x(t))}" y1="${px(top - 6)}" x2="${px(x(t))}" y2="${px(bottom)}"/>` +
        `<text class="tick" x="${px(x(t))}" y="${px(bottom + 14)}" text-anchor="middle">${escapeXml(signedPoints(t))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${px(x(0))}" y1="${px(top - 10)}" x2="${px(x(0))}" y2="${px(bottom)}" stroke-dasharray="4 3"/>`,
    `<text class="axis-label" x="${px(labelWidth + plotWidth / 2)}" y="${px(bottom + 34)}" text-anchor="middle">high − low-resource accuracy gap (points)</text>`,
  );
  rows.forEach((g, i) => {
    const gap = g.gap!;
    const cy = top + i * rowHeight + rowHeight / 2;
    const change = g.gapChange
      ? `Δ ${signedPoints(g.gapChange.difference)} [${signedPoints(g.gapChange.lower)}, ${signedPoints(g.gapChange.upper)}] vs ${g.gapChange.baseline}`
      : '';
    parts.push(
      `<text class="tick" x="${px(labelWidth - 8)}" y="${px(cy + 4)}" text-anchor="end">${escapeXml(g.method)}</text>`,
      `<path class="whisker" data-mark="whisker" d="M${px(x(gap.lower))},${px(cy)}H${px(x(gap.upper))}M${px(x(gap.lower))},${px(cy - 4)}V${px(cy + 4)}M${px(x(gap.upper))},${px(cy - 4)}V${px(cy + 4)}"/>`,
      `<circle data-mark="point" cx="${px(x(gap.gap))}" cy="${px(cy)}" r="5" fill="${colors[i]}">` +
        `<title>${escapeXml(`${g.method}: gap ${signedPoints(gap.gap)} [${signedPoints(gap.lower)}, ${signedPoints(gap.upper)}] points${change ? `; ${change}` : ''}`)}</title></circle>`,
    );
    if (change) {
      parts.push(
        `<text class="tick" x="${px(labelWidth + plotWidth + 12)}" y="${px(cy + 4)}">${escapeXml(change)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
