import { describe, expect, it } from 'vitest';
import { clusterOrder } from './cluster-order.js';
import { percent } from './format.js';
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
      'learning-curve',
      'learning-curve',
      'layer-sweep',
      'prototype-map',
    ]);
  });

  it('renderHtmlReport(result) tables the probes with their controls, flagged rows marked and listed', () => {
    const section = /<section id="probes">[\s\S]*?<\/section>/.exec(html)![0];
    expect(section).toContain('<h2>Probes and their controls</h2>');
    const rows = [...section.matchAll(/<tr( [^>]*)?>([\s\S]*?)<\/tr>/g)].slice(1);
    expect(rows).toHaveLength(result.probes!.length + 1);
    const flagged = rows.filter((r) => r[1]?.includes('class="flagged"'));
    expect(flagged.map((r) => /<th scope="row">([^<]+)<\/th>/.exec(r[2])![1])).toEqual(['tr ⚑', 'wo ⚑']);
    expect(flagged[1][1]).toContain('title="not converged after 40 epochs"');
    const en = result.probes!.find((p) => p.language === 'en')!;
    expect(rows[0][2]).toContain(
      `<th scope="row">en</th><td>train (${en.fitWords})</td><td>${percent(en.accuracy!)}</td>`,
    );
    expect(rows.at(-1)![1]).toBe(' class="mean"');
    expect(section).toContain('<li>wo (UD_wo): not converged after 40 epochs</li>');
    expect(html).toMatch(/tr\.flagged > \* \{ background: #[0-9a-f]+; \}/);
  });

  it('renderHtmlReport(result) draws each learning curve with loss, validation accuracy and the best epoch marked', () => {
    const curves = charts.filter((c) => c.kind === 'learning-curve');
    for (const [i, { svg }] of curves.entries()) {
      const curve = result.learningCurves![i];
      expect((svg.match(/data-mark="line"/g) ?? []).length).toBe(2);
      expect((svg.match(/data-mark="point"/g) ?? []).length).toBe(2 * curve.points.length);
      expect((svg.match(/data-mark="best-epoch"/g) ?? []).length).toBe(1);
      expect(svg).toContain(`best epoch (${curve.bestEpoch})`);
      expect(svg).toMatch(/data-legend-entry="loss"[\s\S]*data-legend-entry="validation accuracy"/);
    }
    const best = result.learningCurves![0].points.find(
      (p) => p.epoch === result.learningCurves![0].bestEpoch,
    )!;
    const section = /<section id="learning-curves">[\s\S]*?<\/section>/.exec(html)![0];
    expect(section).toContain(`validation accuracy at the best epoch ${percent(best.validationAccuracy!)}%`);
    expect(section).toContain(`<tr class="best" data-best-epoch="true"><th scope="row">${best.epoch}</th>`);
  });

  it('renderHtmlReport(result) names the prototypes and draws the identity adapter dashed beside the other few-shot methods', () => {
    expect(html).toContain('<h2>Alignability</h2><p>Prototypes: each language’s own probe');
    const curve = charts.find((c) => c.kind === 'few-shot-curve')!.svg;
    expect(curve).toMatch(
      /data-series="identity-adapter" d="[^"]+" fill="none" stroke="[^"]+" stroke-width="2" stroke-dasharray/,
    );
    expect(curve).not.toMatch(/data-series="few-shot-adapter"[^>]*stroke-dasharray/);
    const section = /<section id="few-shot">[\s\S]*?<\/section>/.exec(html)![0];
    expect(section).toContain('<th scope="row">identity-adapter</th>');
    expect(section).toContain('identity-adapter — the untouched identity adapter');
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
    expect([...curve.matchAll(/data-legend-entry="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'probe-on-support',
      'few-shot-adapter',
      'identity-adapter',
    ]);
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
      learningCurves: [
        {
          task: 'deprel',
          layer: 0,
          learner: 'my-learner',
          points: [{ epoch: 1, loss: 2, validationAccuracy: null }],
          bestEpoch: 1,
          converged: false,
        },
        { task: 'deprel', layer: 0, learner: 'meta', points: [], bestEpoch: 0, converged: false },
      ],
    });
    const kinds = [...edge.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(kinds).toEqual([
      'heatmap',
      'heatmap',
      'language-bars',
      'few-shot-curve',
      'learning-curve',
      'layer-sweep',
      'prototype-map',
    ]);
    expect((edge.match(/data-mark="cell"/g) ?? []).length).toBe(1 + 9);
    const learning = /<svg[^>]*data-chart="learning-curve"[\s\S]*?<\/svg>/.exec(edge)![0];
    expect((learning.match(/data-mark="line"/g) ?? []).length).toBe(1);
    expect(learning).toContain('No validation accuracy was recorded.');
    expect(edge).toContain('Epochs run: 0; best epoch: 0; converged: no; no validation accuracy recorded.');
    expect((edge.match(/fill="#d9d9d9"/g) ?? []).length).toBe(4);
    for (const [, value] of edge.matchAll(
      / (?:x|y|x1|x2|y1|y2|cx|cy|width|height|d|points|transform)="([^"]*)"/g,
    )) {
      expect(value).not.toMatch(/NaN|Infinity|undefined/);
    }
    expect(edge).not.toMatch(/data-mark="whisker"/);
  });
});
