import { createRng, UPOS_LABELS } from '@xling/core';
import { gapStatistics } from '../metrics/gap-statistics.js';
import type { ExperimentResult, LearningCurve, ProbeSummary, ZeroShotScore } from './experiment-result.js';
import { projectPrototypes } from './project-prototypes.js';

/**
 * A deterministic, plausible experiment result for tests, the README and the benchmark (not
 * exported from the package): 8 languages, two alignability metrics (of probe prototypes), 6
 * zero-shot methods, gaps, few-shot curves for 2 languages (adapter, probe on the support, flat
 * identity adapter), a 13-layer sweep, a prototype projection, an in-language probe per language
 * with its controls (wo not converged, tr below the nearest class mean: both flagged) and the learning curves
 * of the meta and few-shot learners.
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
  // The adapter and the probe improve with N; the untouched identity adapter stays flat.
  const fewShot = ['wo', 'tr'].flatMap((language) =>
    ['probe-on-support', 'few-shot-adapter', 'identity-adapter'].map((method, m) => ({
      task: 'upos' as const,
      layer: 8,
      language,
      method,
      points: sizes.map((n) => {
        const mean =
          method === 'identity-adapter'
            ? 0.42 + 0.002 * rng.normal()
            : Math.min(0.95, 0.3 + 0.1 * m + 0.12 * Math.log(n + 1) + 0.01 * rng.normal());
        const half = 0.06 / Math.sqrt(n);
        return { n, mean, lower: Math.max(0, mean - half), upper: Math.min(1, mean + half), seeds: 5 };
      }),
    })),
  );
  // Probes and learning curves draw from their own stream so the numbers above stay as they were.
  const probeRng = createRng(seed).fork('probes');
  const uniformLoss = Math.log(UPOS_LABELS.length);
  const fitSplits: Record<string, string> = { fi: 'dev', wo: 'dev', yo: 'dev' };
  const probes: ProbeSummary[] = languages.map((language) => {
    const isLow = low.includes(language);
    const accuracy = scores['in-language'][language];
    const controlTask = 0.42 + 0.04 * probeRng.normal();
    const fitSplit = fitSplits[language] ?? 'train';
    // wo ran out of epochs; tr's probe does worse than the nearest class mean (flags as summarizeProbe words them).
    const converged = language !== 'wo';
    const epochsRun = converged ? 12 + Math.floor(probeRng.next() * 14) : 40;
    const wordLookup = accuracy - 0.08 - 0.05 * probeRng.next();
    const nearestClassMean =
      language === 'tr' ? Math.min(1, accuracy + 0.015) : accuracy - 0.04 - 0.04 * probeRng.next();
    const flags = [
      ...(converged ? [] : [`not converged after ${epochsRun} epochs`]),
      ...(language === 'tr' ? ['below the nearest class mean'] : []),
    ];
    return {
      task: 'upos',
      layer: 8,
      language,
      treebank: `UD_${language}`,
      fitSplit,
      fitWords: isLow
        ? 1500 + Math.floor(probeRng.next() * 1000)
        : 20000 + Math.floor(probeRng.next() * 30000),
      testWords: zeroShot.find((z) => z.language === language && z.method === 'in-language')?.n ?? null,
      accuracy,
      epochsRun,
      bestEpoch: converged ? epochsRun - 5 : epochsRun,
      converged,
      fitLoss: 0.25 + 0.3 * probeRng.next() + (isLow ? 0.3 : 0),
      uniformLoss,
      fitAccuracy: Math.min(0.995, accuracy + 0.03),
      devAccuracy:
        fitSplit === 'train' && language !== 'tr' ? Math.min(1, accuracy + 0.01 * probeRng.normal()) : null,
      majority: scores.majority[language],
      nearestClassMean,
      wordLookup,
      wordLookupCoverage: isLow ? 0.55 + 0.1 * probeRng.next() : 0.8 + 0.1 * probeRng.next(),
      controlTask,
      selectivity: accuracy - controlTask,
      flags,
    };
  });
  // Validation accuracy rises, then (meta) slowly overfits; the kept epoch is its best, and a curve
  // counts as converged when 5 epochs (the patience) followed it without improvement.
  const learningCurve = (learner: string, epochs: number, overfitFrom: number): LearningCurve => {
    const points = Array.from({ length: epochs }, (_, i) => {
      const epoch = i + 1;
      const accuracy =
        0.45 +
        0.26 * (1 - Math.exp(-epoch / 5)) -
        0.004 * Math.max(0, epoch - overfitFrom) +
        0.001 * probeRng.normal();
      return {
        epoch,
        loss: 0.6 + 1.3 * Math.exp(-epoch / 6) + 0.02 * probeRng.normal(),
        validationAccuracy: Math.min(1, accuracy),
      };
    });
    const best = points.reduce((a, b) => ((b.validationAccuracy ?? 0) > (a.validationAccuracy ?? 0) ? b : a));
    return {
      task: 'upos',
      layer: 8,
      learner,
      points,
      bestEpoch: best.epoch,
      converged: epochs - best.epoch >= 5,
    };
  };
  const learningCurves = [learningCurve('meta', 28, 22), learningCurve('few-shot', 12, 99)];
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
          splits:
            language === 'fi'
              ? { dev: 500, test: 500 }
              : language === 'tr'
                ? { train: 400, test: 300 }
                : low.includes(language)
                  ? { dev: 120, test: 300 }
                  : { train: 2000, dev: 500, test: 500 },
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
        ...['wo', 'yo'].map((language) => ({
          language,
          treebank: `UD_${language}`,
          used: 'dev' as const,
          insteadOf: 'train' as const,
          reason: 'the treebank has no train split',
        })),
      ],
      resourceGroups: { low, high },
      notes: ['Synthetic numbers for tests; not a real experiment.'],
      prototypes: 'probe',
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
    probes,
    learningCurves,
    warnings: ['UD_wo: 12 words with labels outside the source inventory were counted as errors.'],
  };
}
