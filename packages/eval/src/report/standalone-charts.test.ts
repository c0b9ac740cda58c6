import { describe, expect, it } from 'vitest';
import type { AlignabilityMatrix } from './experiment-result.js';
import { htmlTable } from './html-table.js';
import { alignabilityHeatmapSvg, lineChartSvg } from './standalone-charts.js';

const matrix: AlignabilityMatrix = {
  metric: 'procrustes',
  task: 'upos',
  layer: 2,
  higherIsBetter: false,
  languages: ['en', 'de', 'fr'],
  values: [
    [0, 0.2, 0.3],
    [0.2, 0, 0.4],
    [0.3, 0.4, 0],
  ],
  pValues: [
    [null, 0.01, 0.2],
    [0.01, null, 0.5],
    [0.2, 0.5, null],
  ],
};

describe('standalone charts', () => {
  it('carry their styles inside, after the title and description', () => {
    const svg = alignabilityHeatmapSvg(matrix);
    expect(svg.startsWith('<svg')).toBe(true);
    const desc = svg.indexOf('</desc>');
    const style = svg.indexOf('<style>');
    expect(desc).toBeGreaterThan(0);
    expect(style).toBe(desc + '</desc>'.length);
    expect(svg).toContain('svg.chart .tick');
    expect(svg.match(/<style>/g)).toHaveLength(1);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('draw a line chart with its data marks', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'a',
          points: [
            { x: 1, y: 0.5 },
            { x: 2, y: 0.7 },
          ],
        },
      ],
      {
        kind: 'layer-sweep',
        title: 'sweep <&>',
        description: 'd',
        xLabel: 'layer',
        yLabel: 'accuracy',
      },
    );
    expect(svg).toContain('data-mark="line"');
    expect(svg).toContain('sweep &lt;&amp;&gt;');
  });

  it('reject a line chart without points, or with a non-finite one, with a coded error', () => {
    const options = { kind: 'k', title: 't', description: 'd', xLabel: 'x', yLabel: 'y' };
    expect(() => lineChartSvg([], options)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => lineChartSvg([{ name: 'a', points: [{ x: 1, y: Number.NaN }] }], options)).toThrow(
      /finite numbers/,
    );
  });
});

describe('htmlTable', () => {
  it('escapes cells and heads rows with their first cell', () => {
    expect(htmlTable(['lang', 'acc'], [['<en>', '0.9']])).toBe(
      '<table><thead><tr><th scope="col">lang</th><th scope="col">acc</th></tr></thead>' +
        '<tbody><tr><th scope="row">&lt;en&gt;</th><td>0.9</td></tr></tbody></table>',
    );
  });
});
