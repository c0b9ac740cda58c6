import { describe, expect, it } from 'vitest';
import type { ExperimentResult, IclSection } from './experiment-result.js';
import { renderHtmlReport } from './render-html-report.js';
import { renderMarkdownReport } from './render-markdown-report.js';
import { syntheticResult } from './synthetic-result.js';
import { validateExperimentResult } from './validate-experiment-result.js';

const accuracy = (language: string, demonstrations: 'source' | 'target' | 'none', value: number) => ({
  task: 'upos' as const,
  language,
  demonstrations,
  k: demonstrations === 'none' ? 0 : 10,
  effectiveK: demonstrations === 'none' ? 0 : 9.5,
  runs: demonstrations === 'none' ? 1 : 2,
  accuracy: value,
  standardError: demonstrations === 'none' ? null : 0.01,
  perRun: demonstrations === 'none' ? [value] : [value - 0.01, value + 0.01],
  sentences: 20,
  words: 300,
  skipped: 0,
  majority: demonstrations === 'none' ? null : 0.18,
  perWordMajority: demonstrations === 'none' ? null : 0.8,
  forwardPassesPerWord: 2.5,
});

const concept = (language: string, method: string, value: number) => ({
  task: 'upos' as const,
  layer: 18,
  language,
  method,
  accuracy: value,
  ci: { lower: value - 0.05, upper: value + 0.05, alpha: 0.05, resamples: 100 },
  n: 300,
});

const ICL: IclSection = {
  model: { name: 'tiny-llama', fingerprint: 'sha256:0123456789abcdef', layers: 32 },
  layers: [18],
  k: 10,
  runs: 2,
  scoring: 'mean',
  labelForm: 'strings',
  labelSet: 'all',
  maxSentences: 200,
  metaLanguages: ['de', 'fr', 'ru'],
  accuracy: [
    accuracy('cy', 'source', 0.61),
    accuracy('cy', 'target', 0.72),
    accuracy('cy', 'none', 0.2),
    accuracy('mr', 'source', 0.43),
    accuracy('wbp', 'source', 0.35),
  ],
  concepts: ['cy', 'mr', 'wbp'].flatMap((l, i) => [
    concept(l, 'source-probe', 0.4 - i * 0.05),
    concept(l, 'meta', 0.7 - i * 0.1),
  ]),
  relation: [
    {
      task: 'upos',
      layer: 18,
      metric: 'procrustes',
      higherIsBetter: false,
      prototypes: 'class means of the tag-position states',
      points: [
        { language: 'cy', accuracy: 0.61, alignability: 0.2 },
        { language: 'mr', accuracy: 0.43, alignability: 0.35 },
        { language: 'wbp', accuracy: 0.35, alignability: 0.5 },
      ],
      correlation: { rho: -1, lower: -1, upper: -1, alpha: 0.05, resamples: 100 },
    },
  ],
};

const result: ExperimentResult = { ...syntheticResult(), icl: ICL };

describe('the icl section of a report', () => {
  it('validates, and a run without one accuracy per run is named by its path', () => {
    expect(validateExperimentResult(result)).toEqual([]);
    const broken = structuredClone(result);
    broken.icl!.accuracy[0].perRun = [0.5];
    broken.icl!.relation[0].correlation = { rho: 0.5, lower: 0.6, upper: 0.2, alpha: 0.05, resamples: 10 };
    expect(validateExperimentResult(broken).map((i) => i.path)).toEqual([
      'icl.accuracy[0].perRun',
      'icl.relation[0].correlation',
    ]);
    expect(validateExperimentResult({ ...result, icl: { ...ICL, k: -1 } })[0].path).toBe('icl.k');
  });

  it('renderMarkdownReport(result) writes the accuracy table, the concept table and the correlation', () => {
    const markdown = renderMarkdownReport(result);
    expect(markdown).toContain('\n## In-context learning\n');
    expect(markdown).toContain(
      '| Language | source | target | none | Majority | Per-word majority | Effective k | Passes / word |',
    );
    expect(markdown).toContain('| cy | 61.0 ± 1.0 | 72.0 ± 1.0 | 20.0 | 18.0 | 80.0 | 9.5 | 2.50 |');
    expect(markdown).toContain('| wbp | 35.0 ± 1.0 | – | – | 18.0 | 80.0 | 9.5 | 2.50 |');
    expect(markdown).toContain('### UPOS, layer 18: the ICL states as concepts');
    expect(markdown).toMatch(/\| cy \| 40\.0 \[35\.0, 45\.0\] \| 70\.0 \[65\.0, 75\.0\] \| 300 \|/);
    expect(markdown).toContain("Spearman's ρ = -1.000 [-1.000, -1.000]");
  });

  it('renderHtmlReport(result) draws an accessible scatter with a point per language', () => {
    const html = renderHtmlReport(result);
    const svg = /<svg[^>]*data-chart="icl-scatter"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(svg).toMatch(/role="img"/);
    expect(svg.match(/data-mark="point"/g)).toHaveLength(3);
    expect(svg).toContain('data-language="wbp"');
    expect(html).toContain('<section id="icl"><h2>In-context learning</h2>');
    expect(html).toContain('<th scope="col">Per-word majority</th>');
  });
});
