import type { ZeroShotScore } from '../experiment-result.js';
import {
  categoricalColors,
  distinct,
  escapeXml,
  legend,
  legendHeight,
  linearScale,
  niceTicks,
  openSvg,
  px,
  yAxis,
} from './svg.js';

/**
 * Grouped bars of accuracy per language (groups) and method (bars side by side), with bootstrap
 * interval whiskers where the score has a `ci`. Bars carry `data-mark="bar"`.
 */
export function renderLanguageBars(rows: readonly ZeroShotScore[], title: string): string {
  const languages = distinct(rows.map((r) => r.language));
  const methods = distinct(rows.map((r) => r.method));
  const colors = categoricalColors(methods.length);
  // Aim for a chart about 1100 px wide; wider charts scroll inside their figure.
  const barWidth = Math.max(
    5,
    Math.min(22, Math.floor(1100 / Math.max(1, languages.length * methods.length)) - 2),
  );
  const groupWidth = barWidth * methods.length + 14;
  const left = 56;
  const plotWidth = Math.max(groupWidth * languages.length, 300);
  const width = left + plotWidth + 20;
  const legendH = legendHeight(methods, width - left);
  const top = 34 + legendH;
  const plotHeight = 260;
  const height = top + plotHeight + 70;
  const y = linearScale([0, 1], [top + plotHeight, top]);
  const description = `Grouped bar chart: word accuracy of ${methods.length} methods in ${languages.length} languages, with bootstrap confidence intervals.`;
  const parts: string[] = [openSvg('language-bars', width, height, title, description)];
  parts.push(`<text class="chart-title" x="8" y="18">${escapeXml(title)}</text>`);
  parts.push(
    legend(
      methods.map((m, i) => ({ label: m, color: colors[i] })),
      left,
      28,
      width - left,
    ).svg,
  );
  parts.push(yAxis(niceTicks(0, 1, 5), y, left, left + plotWidth, (t) => `${Math.round(t * 100)}%`));
  parts.push(
    `<text class="axis-label" transform="translate(14, ${px(top + plotHeight / 2)}) rotate(-90)" text-anchor="middle">accuracy</text>`,
  );
  const index = new Map(rows.map((r) => [`${r.language}\u0000${r.method}`, r]));
  languages.forEach((language, g) => {
    const gx = left + g * groupWidth + 7;
    methods.forEach((method, m) => {
      const row = index.get(`${language}\u0000${method}`);
      if (!row) return;
      const x = gx + m * barWidth;
      const top0 = y(row.accuracy);
      const ci = row.ci ? ` [${(row.ci.lower * 100).toFixed(1)}, ${(row.ci.upper * 100).toFixed(1)}]` : '';
      parts.push(
        `<rect data-mark="bar" data-language="${escapeXml(language)}" data-method="${escapeXml(method)}" x="${px(x)}" y="${px(top0)}" ` +
          `width="${px(barWidth - 2)}" height="${px(y(0) - top0)}" fill="${colors[m]}">` +
          `<title>${escapeXml(`${language}, ${method}: ${(row.accuracy * 100).toFixed(1)}%${ci}, n = ${row.n}`)}</title></rect>`,
      );
      if (row.ci) {
        const cx = x + (barWidth - 2) / 2;
        const y0 = y(row.ci.lower);
        const y1 = y(row.ci.upper);
        parts.push(
          `<path class="whisker" data-mark="whisker" d="M${px(cx)},${px(y0)}V${px(y1)}M${px(cx - 3)},${px(y0)}H${px(cx + 3)}M${px(cx - 3)},${px(y1)}H${px(cx + 3)}"/>`,
        );
      }
    });
    parts.push(
      `<text class="tick" transform="translate(${px(gx + (groupWidth - 14) / 2)}, ${px(top + plotHeight + 14)}) rotate(-40)" text-anchor="end">${escapeXml(language)}</text>`,
    );
  });
  parts.push(
    `<line class="axis" x1="${px(left)}" y1="${px(y(0))}" x2="${px(left + plotWidth)}" y2="${px(y(0))}"/>`,
    '</svg>',
  );
  return parts.join('');
}
