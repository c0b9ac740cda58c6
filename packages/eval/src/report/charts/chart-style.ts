// The charts draw with classes (ticks, grid, titles); these rules style them, inside the HTML
// report's stylesheet and inside each standalone SVG.
export const CHART_CSS = `svg.chart { display: block; font-size: 11px; }
svg.chart .chart-title { font-size: 13px; font-weight: 600; }
svg.chart .tick { fill: #444; }
svg.chart .axis-label { fill: #222; font-size: 12px; }
svg.chart .grid { stroke: #e6e6e6; }
svg.chart .axis { stroke: #888; }
svg.chart .frame { fill: none; stroke: #ccc; }
svg.chart .whisker { stroke: #222; stroke-width: 1.2; fill: none; }
svg.chart .cell-text { font-size: 10px; }
svg.chart .point-label { font-size: 11px; font-weight: 600; fill: #222; paint-order: stroke; stroke: #fff; stroke-width: 3px; }`;

/**
 * A chart SVG that renders the same on its own (notebook outputs, image viewers, code hosts): the
 * chart rules and a font go into a `<style>` inside it (after its title and description), and a white background keeps it legible
 * on dark themes.
 */
export function standaloneSvg(svg: string): string {
  const desc = svg.indexOf('</desc>');
  const at = desc >= 0 ? desc + '</desc>'.length : svg.indexOf('>') + 1;
  const style =
    '<style>svg.chart { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; background: #fff; }\n' +
    CHART_CSS +
    '</style>';
  return svg.slice(0, at) + style + svg.slice(at);
}
