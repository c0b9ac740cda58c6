import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyntheticLanguages, selectSentences } from '@xling/meta';
import type { ResolvedTreebank } from '@xling/ud';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rankCorrelation } from '../metrics/rank-correlation.js';
import { resolveExperimentConfig } from './experiment-config.js';
import type { ExperimentLanguage } from './experiment-languages.js';
import { iclConcepts } from './icl-concepts.js';
import type { IclStateTable } from './icl-states.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xling-icl-concepts-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const CODES = ['en', 'm1', 'm2', 'm3', 't1', 't2'];

/** Synthetic "ICL states": a universal concept part shared across languages, a specific part that is not. */
function syntheticStates() {
  const data = createSyntheticLanguages({
    languages: CODES,
    numLabels: 6,
    dimension: 16,
    conceptDimension: 8,
    sentences: { train: 60, dev: 5, test: 30 },
    seed: 3,
  });
  const states: IclStateTable = new Map();
  const language = (code: string, testOnly = false): ExperimentLanguage => {
    const treebank = { name: `synthetic-${code}`, fitSplit: testOnly ? null : 'train' } as ResolvedTreebank;
    return { language: code, treebank, roles: [] };
  };
  for (const d of data) {
    if (d.language !== 't2') states.set(`upos/${d.language}/fit`, [d.train]);
    if (d.language.startsWith('t')) states.set(`upos/${d.language}/test`, [d.test]);
  }
  return {
    states,
    source: language('en'),
    meta: ['m1', 'm2', 'm3'].map((c) => language(c)),
    targets: [language('t1'), language('t2', true)],
  };
}

describe('iclConcepts(input): the ICL states through the probe, meta and zero-shot stages', () => {
  it('scores each target by method: the in-language ceiling only with fitting states, the map above the unmapped source probe', async () => {
    const config = resolveExperimentConfig({
      model: 'm',
      outDir: dir,
      probe: { epochs: 30, k: { upos: 6 } },
      meta: { epochs: 8, episodesPerLanguage: 20, querySize: 10, minCount: 3 },
      bootstrap: { resamples: 10 },
      icl: { model: 'd', layers: [4] },
    });
    const input = { config, dir, ...syntheticStates(), layers: [4], threads: 1 };
    const scores = await iclConcepts(input);
    const score = (language: string, method: string) =>
      scores.find((s) => s.language === language && s.method === method)?.accuracy;
    expect(scores.every((s) => s.layer === 4 && s.task === 'upos')).toBe(true);
    expect(score('t1', 'in-language')).toBeGreaterThan(0.9);
    expect(score('t2', 'in-language')).toBeUndefined();
    for (const t of ['t1', 't2']) {
      expect(score(t, 'meta')!).toBeGreaterThan(score(t, 'source-probe')!);
      expect(score(t, 'meta')!).toBeGreaterThan(score(t, 'majority')!);
    }
    // Everything was saved: a second call loads it and gives the same scores.
    expect(await iclConcepts(input)).toEqual(scores);
  });

  it('leaves out meta-training languages with fewer than 2 fitting states, and scores nothing with none left', async () => {
    const config = resolveExperimentConfig({
      model: 'm',
      outDir: dir,
      probe: { epochs: 5, k: { upos: 6 } },
      meta: { epochs: 2, episodesPerLanguage: 4, querySize: 5, minCount: 1 },
      bootstrap: { resamples: 10 },
      icl: { model: 'd', layers: [4] },
    });
    const input = { config, dir, ...syntheticStates(), layers: [4], threads: 1 };
    // m1's prompts left one sentence: it cannot form an episode (support + query).
    const m1 = input.states.get('upos/m1/fit')![0];
    input.states.set('upos/m1/fit', [selectSentences(m1, [0])]);
    const scores = await iclConcepts(input);
    expect(scores.some((s) => s.method === 'meta')).toBe(true);

    const none = { ...input, dir: join(dir, 'none'), meta: input.meta.slice(0, 1) };
    expect(await iclConcepts(none)).toEqual([]);
  });
});

describe('rankCorrelation(x, y, options)', () => {
  const options = { resamples: 200, alpha: 0.1, seed: 1 };
  it('is 1 for a monotone relation and -1 for a reversed one, with the interval at the bound', () => {
    expect(rankCorrelation([0.1, 0.5, 0.7, 0.9], [1, 2, 30, 40], options)).toEqual({
      rho: 1,
      lower: 1,
      upper: 1,
      alpha: 0.1,
      resamples: 200,
    });
    expect(rankCorrelation([0.1, 0.5, 0.7, 0.9], [4, 3, 2, 1], options)!.rho).toBeCloseTo(-1, 12);
  });

  it('gives an interval around a noisy rho, and null for fewer than 3 points or a constant side', () => {
    const noisy = rankCorrelation([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], options)!;
    expect(noisy.rho).toBeCloseTo(0.8286, 4);
    expect(noisy.lower).toBeLessThan(noisy.rho);
    expect(noisy.upper).toBeLessThanOrEqual(1);
    expect(rankCorrelation([1, 2], [1, 2], options)).toBeNull();
    expect(rankCorrelation([1, 2, 3], [5, 5, 5], options)).toBeNull();
  });
});
