import { escapeXml } from './charts/svg.js';

/**
 * A table whose first column heads the rows. `rowAttributes[i]`, when given, is written into row
 * i's `<tr>` as is (callers escape it), e.g. ` class="flagged"`.
 */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rowAttributes: readonly string[] = [],
): string {
  return (
    `<table><thead><tr>${header.map((h) => `<th scope="col">${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows
      .map(
        (r, row) =>
          `<tr${rowAttributes[row] ?? ''}>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeXml(c)}</th>` : `<td>${escapeXml(c)}</td>`)).join('')}</tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}
