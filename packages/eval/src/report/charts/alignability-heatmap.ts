import type { AlignabilityMatrix } from '../experiment-result.js';
import { clusterOrder } from '../cluster-order.js';
import { escapeXml, openSvg, px, sequentialColor, viridisStops } from './svg.js';

/** Formats a matrix entry for a cell label. */
function short(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/**
 * Heatmap of one alignability matrix, rows and columns in average-linkage leaf order, viridis
 * colours oriented so that bright = more alignable whatever the metric's direction. Cells carry
 * `data-mark="cell"`; significant cells (permutation p < 0.05) get an asterisk.
 */
export function renderAlignabilityHeatmap(matrix: AlignabilityMatrix): string {
  const n = matrix.languages.length;
  const order = clusterOrder(matrix.values, { kind: matrix.higherIsBetter ? 'similarity' : 'distance' });
  const finite: number[] = [];
  for (const row of matrix.values) for (const v of row) if (v !== null && Number.isFinite(v)) finite.push(v);
  const min = finite.length > 0 ? Math.min(...finite) : 0;
  const max = finite.length > 0 ? Math.max(...finite) : 1;
  const toT = (v: number) => {
    const t = max > min ? (v - min) / (max - min) : 0.5;
    return matrix.higherIsBetter ? t : 1 - t;
  };
  const cell = Math.max(16, Math.min(48, Math.floor(560 / Math.max(n, 1))));
  const labelWidth = 8 + 8 * Math.max(2, ...matrix.languages.map((l) => l.length));
  const left = labelWidth + 10;
  const top = labelWidth + 30;
  const gridSize = cell * n;
  const width = Math.max(left + gridSize + 30, 360);
  const legendTop = top + gridSize + 24;
  const height = legendTop + 56;
  const title = `Alignability (${matrix.metric}), ${matrix.task.toUpperCase()}, layer ${matrix.layer}`;
  const description =
    `${n} × ${n} heatmap of ${matrix.metric} between languages, ordered by average-linkage clustering; ` +
    `${matrix.higherIsBetter ? 'higher' : 'lower'} values mean more alignable.`;
  const parts: string[] = [openSvg('heatmap', width, height, title, description)];
  const gradientId = `grad-${matrix.task}-${matrix.layer}-${matrix.metric}`.replace(/[^A-Za-z0-9_-]/g, '_');
  parts.push(`<defs><linearGradient id="${gradientId}">${viridisStops()}</linearGradient></defs>`);
  parts.push(`<text class="chart-title" x="${px(8)}" y="18">${escapeXml(title)}</text>`);
  const showText = n <= 14;
  order.forEach((i, r) => {
    const y = top + r * cell;
    parts.push(
      `<text class="tick" x="${px(left - 6)}" y="${px(y + cell / 2 + 4)}" text-anchor="end">${escapeXml(matrix.languages[i])}</text>`,
    );
    const x = left + r * cell + cell / 2;
    parts.push(
      `<text class="tick" transform="translate(${px(x + 4)}, ${px(top - 6)}) rotate(-60)">${escapeXml(matrix.languages[i])}</text>`,
    );
  });
  order.forEach((i, r) => {
    order.forEach((j, c) => {
      const v = matrix.values[i][j];
      const x = left + c * cell;
      const y = top + r * cell;
      const p = matrix.pValues?.[i]?.[j];
      const control = matrix.control?.[i]?.[j];
      const tip =
        `${matrix.languages[i]} → ${matrix.languages[j]}: ${v === null ? 'not computed' : v.toPrecision(4)}` +
        (p !== undefined && p !== null ? `, p = ${p.toPrecision(3)}` : '') +
        (control !== undefined && control !== null ? `, random-label control ${control.toPrecision(4)}` : '');
      const fill = v === null ? '#d9d9d9' : sequentialColor(toT(v));
      parts.push(
        `<rect data-mark="cell" data-row="${escapeXml(matrix.languages[i])}" data-col="${escapeXml(matrix.languages[j])}" ` +
          `x="${px(x)}" y="${px(y)}" width="${px(cell - 1)}" height="${px(cell - 1)}" fill="${fill}"><title>${escapeXml(tip)}</title></rect>`,
      );
      if (showText && v !== null) {
        const light = toT(v) < 0.55;
        const star = p !== undefined && p !== null && p < 0.05 ? '*' : '';
        parts.push(
          `<text class="cell-text" x="${px(x + cell / 2)}" y="${px(y + cell / 2 + 3)}" text-anchor="middle" fill="${light ? '#fff' : '#111'}">${escapeXml(short(v) + star)}</text>`,
        );
      }
    });
  });
  // Colour bar: left end = least alignable.
  const barWidth = Math.min(260, width - left - 20);
  const lo = matrix.higherIsBetter ? min : max;
  const hi = matrix.higherIsBetter ? max : min;
  parts.push(
    `<g class="legend" data-legend="true"><rect x="${px(left)}" y="${px(legendTop)}" width="${px(barWidth)}" height="12" fill="url(#${gradientId})"/>` +
      `<text class="tick" x="${px(left)}" y="${px(legendTop + 26)}">${escapeXml(short(lo))} less alignable</text>` +
      `<text class="tick" x="${px(left + barWidth)}" y="${px(legendTop + 26)}" text-anchor="end">more alignable ${escapeXml(short(hi))}</text>` +
      (matrix.pValues
        ? `<text class="tick" x="${px(left)}" y="${px(legendTop + 42)}">* permutation p &lt; 0.05</text>`
        : '') +
      '</g>',
  );
  parts.push('</svg>');
  return parts.join('');
}
