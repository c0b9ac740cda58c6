import { describe, expect, it } from 'vitest';
import { clusterOrder } from './cluster-order.js';
import { renderHtmlReport } from './render-html-report.js';
import { syntheticResult } from './synthetic-result.js';

const result = syntheticResult();
const html = renderHtmlReport(result);
const charts = [...html.matchAll(/<svg[^>]*data-chart="([^"]+)"[\s\S]*?<\/svg>/g)].map((m) => ({
  kind: m[1],
  svg: m[0],
}));

describe('renderHtmlReport', () => {
  it('renderHtmlReport(result) draws every chart kind once per data group', () => {
    expect(charts.map((c) => c.kind)).toEqual([
      'heatmap',
      'heatmap',
      'language-bars',
      'gap',
      'few-shot-curve',
      'few-shot-curve',
      'layer-sweep',
      'prototype-map',
    ]);
  });

  it('renderHtmlReport(result) draws one heatmap cell per language pair, in clustered order', () => {
    const heatmaps = charts.filter((c) => c.kind === 'heatmap');
    for (const [h, { svg }] of heatmaps.entries()) {
      const m = result.alignability![h];
      expect((svg.match(/data-mark="cell"/g) ?? []).length).toBe(m.languages.length ** 2);
      const rows = [...svg.matchAll(/data-row="([^"]+)" data-col="([^"]+)"/g)];
      const firstRow = rows.filter((r) => r[1] === rows[0][1]).map((r) => r[2]);
      const order = clusterOrder(m.values, { kind: m.higherIsBetter ? 'similarity' : 'distance' });
      expect(firstRow).toEqual(order.map((i) => m.languages[i]));
    }
  });

  it('renderHtmlReport(result) draws bars with whiskers and a legend entry per method', () => {
    const { svg } = charts.find((c) => c.kind === 'language-bars')!;
    expect((svg.match(/data-mark="bar"/g) ?? []).length).toBe(result.zeroShot!.length);
    expect((svg.match(/data-mark="whisker"/g) ?? []).length).toBe(result.zeroShot!.length);
    const legend = [...svg.matchAll(/data-legend-entry="([^"]+)"/g)].map((m) => m[1]);
    expect(legend).toEqual([
      'majority',
      'source-classifier',
      'unaligned',
      'procrustes',
      'meta',
      'in-language',
    ]);
  });

  it('renderHtmlReport(result) draws the gap per method with whiskers', () => {
    const { svg } = charts.find((c) => c.kind === 'gap')!;
    expect((svg.match(/data-mark="point"/g) ?? []).length).toBe(3);
    expect((svg.match(/data-mark="whisker"/g) ?? []).length).toBe(3);
    expect((svg.match(/vs unaligned/g) ?? []).length).toBe(2 * 2);
  });

  it('renderHtmlReport(result) draws few-shot lines with bands, and one point per prototype', () => {
    const curve = charts.find((c) => c.kind === 'few-shot-curve')!.svg;
    expect((curve.match(/data-mark="line"/g) ?? []).length).toBe(3);
    expect((curve.match(/data-mark="band"/g) ?? []).length).toBe(3);
    expect((curve.match(/data-mark="point"/g) ?? []).length).toBe(18);
    const map = charts.find((c) => c.kind === 'prototype-map')!.svg;
    expect((map.match(/data-mark="point"/g) ?? []).length).toBe(result.projections![0].points.length);
    expect((map.match(/data-legend-entry=/g) ?? []).length).toBe(17);
  });

  it('renderHtmlReport(result) gives every chart an accessible title and description and no NaN coordinates', () => {
    for (const { svg } of charts) {
      expect(svg).toMatch(/role="img"/);
      expect(svg).toMatch(/aria-labelledby="[^"]+-title [^"]+-desc"/);
      expect(svg).toMatch(/<title id="[^"]+-title">[^<]+<\/title><desc id="[^"]+-desc">[^<]+<\/desc>/);
    }
    const attributes = [
      ...html.matchAll(/ (?:x|y|x1|x2|y1|y2|cx|cy|width|height|d|points|transform)="([^"]*)"/g),
    ];
    expect(attributes.length).toBeGreaterThan(500);
    for (const [, value] of attributes) expect(value).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('renderHtmlReport(result) is self-contained: no external scripts, styles, fonts or images', () => {
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link\b/);
    expect(html).not.toMatch(/@import|url\(http|@font-face/);
    const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).toContain("default-src 'none'");
  });

  it('renderHtmlReport(result) is deterministic and shows split substitutions', () => {
    expect(renderHtmlReport(syntheticResult())).toBe(html);
    expect(html).toContain('dev split used instead of train — no train split in the offline copy');
  });

  it('renderHtmlReport(minimal) renders metadata only; { selfCheck: false } drops the script', () => {
    const minimal = renderHtmlReport({ schemaVersion: 1, run: result.run }, { selfCheck: false });
    expect(minimal).not.toMatch(/data-chart=/);
    expect(minimal).not.toMatch(/<script/);
    expect(minimal).toContain('tiny-random-xlmr');
  });

  it('renderHtmlReport(invalid) throws XLING_INVALID_ARGUMENT naming the key', () => {
    const bad = { ...result, zeroShot: [{ ...result.zeroShot![0], accuracy: Number.NaN }] };
    expect(() => renderHtmlReport(bad)).toThrow(
      /Argument 'result.zeroShot\[0\].accuracy' passed to 'renderHtmlReport'/,
    );
    expect(() => renderHtmlReport(result, { theme: 'dark' } as never)).toThrow(/options.theme/);
  });
});

describe('renderHtmlReport on edge cases', () => {
  it('renderHtmlReport(result) handles null cells, one language, missing intervals and single points without NaN', () => {
    const { run } = syntheticResult();
    const edge = renderHtmlReport({
      schemaVersion: 1,
      run,
      alignability: [
        { task: 'deprel', layer: 0, metric: 'rsa', higherIsBetter: true, languages: ['en'], values: [[1]] },
        {
          task: 'deprel',
          layer: 0,
          metric: 'procrustes',
          higherIsBetter: false,
          languages: ['en', 'de', 'wo'],
          values: [
            [0, null, 0.4],
            [null, 0, null],
            [0.4, null, 0],
          ],
        },
      ],
      zeroShot: [{ task: 'deprel', layer: 0, language: 'wo', method: 'meta', accuracy: 0, n: 1 }],
      fewShot: [
        {
          task: 'deprel',
          layer: 0,
          language: 'wo',
          method: 'meta',
          points: [{ n: 5, mean: 0.5, lower: 0.5, upper: 0.5, seeds: 1 }],
        },
      ],
      layerSweep: [
        { task: 'deprel', quantity: 'cka', higherIsBetter: true, points: [{ layer: 3, value: 0.2 }] },
      ],
      projections: [
        { explainedVarianceRatio: [0, 0], points: [{ language: 'en', label: 'nsubj', x: 0, y: 0 }] },
      ],
    });
    const kinds = [...edge.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(kinds).toEqual([
      'heatmap',
      'heatmap',
      'language-bars',
      'few-shot-curve',
      'layer-sweep',
      'prototype-map',
    ]);
    expect((edge.match(/data-mark="cell"/g) ?? []).length).toBe(1 + 9);
    expect((edge.match(/fill="#d9d9d9"/g) ?? []).length).toBe(4);
    for (const [, value] of edge.matchAll(
      / (?:x|y|x1|x2|y1|y2|cx|cy|width|height|d|points|transform)="([^"]*)"/g,
    )) {
      expect(value).not.toMatch(/NaN|Infinity|undefined/);
    }
    expect(edge).not.toMatch(/data-mark="whisker"/);
  });
});
