/** Helpers shared by the chart renderers: escaping, coordinates, scales, ticks, colours. */

/** Escapes text for HTML/SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A coordinate for an SVG attribute, rounded to 0.01. Throws on NaN/Infinity so that a bad value
 * fails loudly here instead of producing a chart that silently does not draw.
 */
export function px(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`internal: non-finite SVG coordinate ${value}`);
  const r = Math.round(value * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

/** A linear map from `domain` to `range`. */
export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (v) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** A base-10 log map (domain must be positive). */
export function logScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const inner = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  return (v) => inner(Math.log10(v));
}

/** Round tick values (steps of 1, 2 or 5 × 10^k) covering [min, max], as d3's ticks do. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = (error >= 7.5 ? 10 : error >= 3.5 ? 5 : error >= 1.5 ? 2 : 1) * power;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    out.push(Math.round(v / step) * step);
  }
  return out;
}

/** Formats a tick value without floating-point noise. */
export function tickLabel(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** Okabe–Ito colour-blind-safe palette, then evenly spaced hues. */
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C6D1F', '#000000'];

/** `n` distinct colours for categories (methods, labels). */
export function categoricalColors(n: number): string[] {
  if (n <= OKABE_ITO.length) return OKABE_ITO.slice(0, n);
  return Array.from(
    { length: n },
    (_, i) => `hsl(${Math.round((i * 360) / n)}, 65%, ${i % 2 === 0 ? 42 : 58}%)`,
  );
}

/** Viridis, sampled at 6 stops, for sequential values in [0, 1]. */
const VIRIDIS = [
  [68, 1, 84],
  [65, 68, 135],
  [42, 120, 142],
  [34, 168, 132],
  [122, 209, 81],
  [253, 231, 37],
];

/** Colour for `t` in [0, 1] on the viridis ramp. */
export function sequentialColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = VIRIDIS[i].map((a, k) => Math.round(a + (VIRIDIS[i + 1][k] - a) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Viridis stops for an SVG gradient. */
export function viridisStops(): string {
  return VIRIDIS.map(
    (c, i) => `<stop offset="${px((i / (VIRIDIS.length - 1)) * 100)}%" stop-color="rgb(${c.join(', ')})"/>`,
  ).join('');
}

let counter = 0;

/** A document-unique id for title/desc elements (deterministic within one render). */
export function nextId(prefix: string): string {
  counter++;
  return `${prefix}-${counter}`;
}

/** Resets id numbering (at the start of each report, so output is reproducible). */
export function resetIds(): void {
  counter = 0;
}

/** Opening tag of an accessible chart: role img, title and description, and `data-chart`. */
export function openSvg(
  kind: string,
  width: number,
  height: number,
  title: string,
  description: string,
): string {
  const id = nextId(kind);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeXml(kind)}" role="img" ` +
    `width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" ` +
    `aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`
  );
}

/** A horizontal legend of coloured swatches; returns SVG and its height. */
export function legend(
  entries: { label: string; color: string; shape?: 'rect' | 'line' | 'circle'; dashed?: boolean }[],
  x: number,
  y: number,
  maxWidth: number,
): { svg: string; height: number } {
  const parts: string[] = ['<g class="legend" data-legend="true">'];
  let cx = x;
  let cy = y;
  for (const entry of entries) {
    const w = 22 + entry.label.length * 7 + 14;
    if (cx + w > x + maxWidth && cx > x) {
      cx = x;
      cy += 18;
    }
    const swatch =
      entry.shape === 'line'
        ? `<line x1="${px(cx)}" y1="${px(cy + 6)}" x2="${px(cx + 16)}" y2="${px(cy + 6)}" stroke="${entry.color}" stroke-width="2.5"${entry.dashed ? ' stroke-dasharray="5 3"' : ''}/>`
        : entry.shape === 'circle'
          ? `<circle cx="${px(cx + 7)}" cy="${px(cy + 6)}" r="5" fill="${entry.color}"/>`
          : `<rect x="${px(cx)}" y="${px(cy)}" width="14" height="12" fill="${entry.color}"/>`;
    parts.push(
      `<g class="legend-entry" data-legend-entry="${escapeXml(entry.label)}">${swatch}` +
        `<text x="${px(cx + 22)}" y="${px(cy + 10)}">${escapeXml(entry.label)}</text></g>`,
    );
    cx += w;
  }
  parts.push('</g>');
  return { svg: parts.join(''), height: cy - y + 18 };
}

/** Lays out legend entries once to learn its height before placing the plot. */
export function legendHeight(labels: readonly string[], maxWidth: number): number {
  return legend(
    labels.map((label) => ({ label, color: '#000' })),
    0,
    0,
    maxWidth,
  ).height;
}

/** Y axis with grid lines and tick labels. */
export function yAxis(
  ticks: number[],
  scale: (v: number) => number,
  x0: number,
  x1: number,
  format = tickLabel,
): string {
  return ticks
    .map(
      (t) =>
        `<line class="grid" x1="${px(x0)}" y1="${px(scale(t))}" x2="${px(x1)}" y2="${px(scale(t))}"/>` +
        `<text class="tick" x="${px(x0 - 6)}" y="${px(scale(t) + 4)}" text-anchor="end">${escapeXml(format(t))}</text>`,
    )
    .join('');
}

/** Groups items by a key, keeping first-seen order of keys. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Distinct values in first-seen order. */
export function distinct<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
