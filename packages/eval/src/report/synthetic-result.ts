import { createRng, UPOS_LABELS } from '@xling/core';
import { gapStatistics } from '../metrics/gap-statistics.js';
import type { ExperimentResult, ZeroShotScore } from './experiment-result.js';
import { projectPrototypes } from './project-prototypes.js';

/**
 * A deterministic, plausible experiment result for tests, the README and the benchmark (not
 * exported from the package): 8 languages, two alignability metrics, 5 zero-shot methods, gaps,
 * few-shot curves for 2 languages, a 13-layer sweep and a prototype projection.
 */
export function syntheticResult(seed = 1): ExperimentResult {
  const rng = createRng(seed);
  const languages = ['en', 'de', 'fr', 'fi', 'tr', 'ja', 'wo', 'yo'];
  const low = ['wo', 'yo', 'tr'];
  const high = ['en', 'de', 'fr', 'fi', 'ja'];
  const family: Record<string, number> = { en: 0, de: 0, fr: 0.3, fi: 1, tr: 1.2, ja: 2, wo: 3, yo: 3.2 };
  const distance = (a: string, b: string) => Math.abs(family[a] - family[b]);
  const matrix = (f: (a: string, b: string) => number) =>
    languages.map((a) => languages.map((b) => Math.round(f(a, b) * 1e4) / 1e4));
  const methods = ['majority', 'source-classifier', 'unaligned', 'procrustes', 'meta', 'in-language'];
  const base: Record<string, number> = {
    majority: 0.17,
    'source-classifier': 0.55,
    unaligned: 0.5,
    procrustes: 0.66,
    meta: 0.72,
    'in-language': 0.92,
  };
  const zeroShot: ZeroShotScore[] = [];
  const scores: Record<string, Record<string, number>> = {};
  for (const method of methods) {
    scores[method] = {};
    for (const language of languages) {
      const penalty = low.includes(language)
        ? method === 'meta' || method === 'procrustes'
          ? 0.08
          : 0.2
        : 0;
      const accuracy = Math.min(
        0.99,
        Math.max(
          0.02,
          base[method] -
            (method === 'in-language' || method === 'majority' ? 0 : penalty) +
            0.04 * rng.normal(),
        ),
      );
      const half = 0.01 + 0.02 * rng.next();
      scores[method][language] = accuracy;
      zeroShot.push({
        task: 'upos',
        layer: 8,
        language,
        treebank: `UD_${language}`,
        method,
        accuracy,
        macroF1: accuracy * 0.85,
        ci: {
          lower: Math.max(0, accuracy - half),
          upper: Math.min(1, accuracy + half),
          alpha: 0.05,
          resamples: 1000,
        },
        n: 2000 + Math.floor(rng.next() * 8000),
        sentences: 100 + Math.floor(rng.next() * 400),
      });
    }
  }
  const gaps = gapStatistics(
    { unaligned: scores.unaligned, procrustes: scores.procrustes, meta: scores.meta },
    { groups: { low, high }, baseline: 'unaligned', resamples: 500, seed },
  ).map((g) => ({ task: 'upos' as const, layer: 8, metric: 'accuracy', ...g }));
  const sizes = [1, 2, 5, 10, 20, 50];
  const fewShot = ['wo', 'tr'].flatMap((language) =>
    ['unaligned', 'procrustes', 'meta-few-shot'].map((method, m) => ({
      task: 'upos' as const,
      layer: 8,
      language,
      method,
      points: sizes.map((n) => {
        const mean = Math.min(0.95, 0.3 + 0.1 * m + 0.12 * Math.log(n + 1) + 0.01 * rng.normal());
        const half = 0.06 / Math.sqrt(n);
        return { n, mean, lower: Math.max(0, mean - half), upper: Math.min(1, mean + half), seeds: 5 };
      }),
    })),
  );
  const layerSweep = [
    {
      task: 'upos' as const,
      quantity: 'mean linear-cka',
      higherIsBetter: true,
      points: Array.from({ length: 13 }, (_, layer) => ({
        layer,
        value: 0.4 + 0.4 * Math.sin((layer / 12) * Math.PI),
      })),
    },
    {
      task: 'upos' as const,
      quantity: 'procrustes accuracy',
      higherIsBetter: true,
      points: Array.from({ length: 13 }, (_, layer) => {
        const value = 0.3 + 0.35 * Math.sin(((layer + 1) / 14) * Math.PI);
        return { layer, value, lower: value - 0.02, upper: value + 0.02 };
      }),
    },
  ];
  const k = 16;
  const centres = UPOS_LABELS.map(() => Array.from({ length: k }, () => 3 * rng.normal()));
  const projection = projectPrototypes(
    languages.map((language) => {
      const shift = Array.from({ length: k }, () => 0.8 * rng.normal());
      return {
        language,
        labels: [...UPOS_LABELS],
        prototypes: centres.map((c) => c.map((v, j) => v + shift[j] + 0.5 * rng.normal())),
      };
    }),
    { task: 'upos', layer: 8, space: 'procrustes-mapped' },
  );
  return {
    schemaVersion: 1,
    run: {
      title: 'Synthetic xling report',
      configHash: 'sha256:0f3a9c1e',
      createdAt: '2026-11-28T10:00:00.000Z',
      model: { name: 'tiny-random-xlmr', dtype: 'fp32', hiddenSize: 64, layers: 12 },
      layer: 8,
      pooling: 'first',
      sourceLanguage: 'en',
      seeds: [1, 2, 3, 4, 5],
      ud: {
        version: '2.14',
        treebanks: languages.map((language) => ({
          language,
          treebank: `UD_${language}`,
          resource: low.includes(language) ? ('low' as const) : ('high' as const),
          splits: low.includes(language) ? { test: 300 } : { dev: 500, test: 500 },
        })),
      },
      splitSubstitutions: [
        {
          language: 'fi',
          treebank: 'UD_fi',
          used: 'dev',
          insteadOf: 'train',
          reason: 'no train split in the offline copy',
        },
      ],
      resourceGroups: { low, high },
      notes: ['Synthetic numbers for tests; not a real experiment.'],
    },
    alignability: [
      {
        task: 'upos',
        layer: 8,
        metric: 'procrustes',
        higherIsBetter: false,
        languages,
        values: matrix((a, b) => (a === b ? 0 : 0.1 + 0.12 * distance(a, b) + 0.02 * rng.next())),
        pValues: matrix((a, b) => (a === b ? 1 : distance(a, b) > 2 ? 0.2 : 0.001)),
        permutations: 1000,
        control: matrix(() => 0.9 + 0.05 * rng.next()),
      },
      {
        task: 'upos',
        layer: 8,
        metric: 'linear-cka',
        higherIsBetter: true,
        languages,
        values: matrix((a, b) => (a === b ? 1 : 0.9 - 0.1 * distance(a, b) - 0.03 * rng.next())),
        control: matrix(() => 0.2 + 0.05 * rng.next()),
      },
    ],
    zeroShot,
    fewShot,
    layerSweep,
    gaps,
    projections: [projection],
    warnings: ['UD_wo: 12 words with labels outside the source inventory were counted as errors.'],
  };
}
