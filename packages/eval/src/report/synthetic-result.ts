import { createRng, type Rng, UPOS_LABELS } from '@xling/core';
import { gapStatistics } from '../metrics/gap-statistics.js';
import type {
  AlignabilityMatrix,
  ExperimentResult,
  FewShotCurve,
  GapSummary,
  LayerSweepSeries,
  LearningCurve,
  ProbeSummary,
  PrototypeProjection,
  RunMetadata,
  TreebankInfo,
  ZeroShotScore,
} from './experiment-result.js';
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
  // The draws happen in this order (zero-shot, few-shot, projection, alignability) so every seed
  // gives the numbers it always gave.
  const { zeroShot, scores } = syntheticZeroShot(rng);
  const fewShot = syntheticFewShot(rng);
  // Probes and learning curves draw from their own stream so the numbers above stay as they were.
  const probeRng = createRng(seed).fork('probes');
  const probes = LANGUAGES.map((language) => syntheticProbe(probeRng, language, scores, zeroShot));
  const learningCurves = [
    syntheticLearningCurve(probeRng, 'meta', 28, 22),
    syntheticLearningCurve(probeRng, 'few-shot', 12, 99),
  ];
  const projection = syntheticProjection(rng);
  return {
    schemaVersion: 1,
    run: syntheticRun(),
    alignability: syntheticAlignability(rng),
    zeroShot,
    fewShot,
    layerSweep: syntheticLayerSweep(),
    gaps: syntheticGaps(scores, seed),
    projections: [projection],
    probes,
    learningCurves,
    warnings: ['UD_wo: 12 words with labels outside the source inventory were counted as errors.'],
  };
}

const LANGUAGES = ['en', 'de', 'fr', 'fi', 'tr', 'ja', 'wo', 'yo'];
const LOW = ['wo', 'yo', 'tr'];
const HIGH = ['en', 'de', 'fr', 'fi', 'ja'];
/** Position on a made-up family line: alignability falls with the distance between two languages. */
const FAMILY: Record<string, number> = { en: 0, de: 0, fr: 0.3, fi: 1, tr: 1.2, ja: 2, wo: 3, yo: 3.2 };
/** Mean zero-shot accuracy of each method before the low-resource penalty and noise. */
const BASE_ACCURACY: Record<string, number> = {
  majority: 0.17,
  'source-classifier': 0.55,
  unaligned: 0.5,
  procrustes: 0.66,
  meta: 0.72,
  'in-language': 0.92,
};

/** Accuracy by method, then language. */
type Scores = Record<string, Record<string, number>>;

/** One score per method and language; low-resource languages lose less with meta and Procrustes. */
function syntheticZeroShot(rng: Rng): { zeroShot: ZeroShotScore[]; scores: Scores } {
  const zeroShot: ZeroShotScore[] = [];
  const scores: Scores = {};
  for (const method of Object.keys(BASE_ACCURACY)) {
    scores[method] = {};
    for (const language of LANGUAGES) {
      const score = syntheticScore(rng, method, language);
      scores[method][language] = score.accuracy;
      zeroShot.push(score);
    }
  }
  return { zeroShot, scores };
}

function syntheticScore(rng: Rng, method: string, language: string): ZeroShotScore {
  const penalty = LOW.includes(language) ? (method === 'meta' || method === 'procrustes' ? 0.08 : 0.2) : 0;
  const accuracy = Math.min(
    0.99,
    Math.max(
      0.02,
      BASE_ACCURACY[method] -
        (method === 'in-language' || method === 'majority' ? 0 : penalty) +
        0.04 * rng.normal(),
    ),
  );
  const half = 0.01 + 0.02 * rng.next();
  return {
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
  };
}

function syntheticGaps(scores: Scores, seed: number): GapSummary[] {
  return gapStatistics(
    { unaligned: scores.unaligned, procrustes: scores.procrustes, meta: scores.meta },
    { groups: { low: LOW, high: HIGH }, baseline: 'unaligned', resamples: 500, seed },
  ).map((g) => ({ task: 'upos' as const, layer: 8, metric: 'accuracy', ...g }));
}

/** The adapter and the probe improve with N; the untouched identity adapter stays flat. */
function syntheticFewShot(rng: Rng): FewShotCurve[] {
  const sizes = [1, 2, 5, 10, 20, 50];
  return ['wo', 'tr'].flatMap((language) =>
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
}

/** Languages whose probe is fitted on dev (they lack a train split). */
const DEV_FITTED = ['fi', 'wo', 'yo'];

/**
 * A language's own probe with its controls. wo ran out of epochs; tr's probe does worse than the
 * nearest class mean (flags as summarizeProbe words them).
 */
function syntheticProbe(rng: Rng, language: string, scores: Scores, zeroShot: ZeroShotScore[]): ProbeSummary {
  const isLow = LOW.includes(language);
  const accuracy = scores['in-language'][language];
  const controlTask = 0.42 + 0.04 * rng.normal();
  const fitSplit = DEV_FITTED.includes(language) ? 'dev' : 'train';
  const converged = language !== 'wo';
  const epochsRun = converged ? 12 + Math.floor(rng.next() * 14) : 40;
  const wordLookup = accuracy - 0.08 - 0.05 * rng.next();
  const nearestClassMean =
    language === 'tr' ? Math.min(1, accuracy + 0.015) : accuracy - 0.04 - 0.04 * rng.next();
  return {
    task: 'upos',
    layer: 8,
    language,
    treebank: `UD_${language}`,
    fitSplit,
    fitWords: isLow ? 1500 + Math.floor(rng.next() * 1000) : 20000 + Math.floor(rng.next() * 30000),
    testWords: zeroShot.find((z) => z.language === language && z.method === 'in-language')?.n ?? null,
    accuracy,
    epochsRun,
    bestEpoch: converged ? epochsRun - 5 : epochsRun,
    converged,
    fitLoss: 0.25 + 0.3 * rng.next() + (isLow ? 0.3 : 0),
    uniformLoss: Math.log(UPOS_LABELS.length),
    fitAccuracy: Math.min(0.995, accuracy + 0.03),
    devAccuracy:
      fitSplit === 'train' && language !== 'tr' ? Math.min(1, accuracy + 0.01 * rng.normal()) : null,
    majority: scores.majority[language],
    nearestClassMean,
    wordLookup,
    wordLookupCoverage: isLow ? 0.55 + 0.1 * rng.next() : 0.8 + 0.1 * rng.next(),
    controlTask,
    selectivity: accuracy - controlTask,
    flags: [
      ...(converged ? [] : [`not converged after ${epochsRun} epochs`]),
      ...(language === 'tr' ? ['below the nearest class mean'] : []),
    ],
  };
}

/**
 * Validation accuracy rises, then (from `overfitFrom`) slowly overfits; the kept epoch is its best,
 * and a curve counts as converged when 5 epochs (the patience) followed it without improvement.
 */
function syntheticLearningCurve(
  rng: Rng,
  learner: string,
  epochs: number,
  overfitFrom: number,
): LearningCurve {
  const points = Array.from({ length: epochs }, (_, i) => {
    const epoch = i + 1;
    const accuracy =
      0.45 +
      0.26 * (1 - Math.exp(-epoch / 5)) -
      0.004 * Math.max(0, epoch - overfitFrom) +
      0.001 * rng.normal();
    return {
      epoch,
      loss: 0.6 + 1.3 * Math.exp(-epoch / 6) + 0.02 * rng.normal(),
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
}

/** Two smooth curves over 13 layers, the second with an interval. */
function syntheticLayerSweep(): LayerSweepSeries[] {
  return [
    {
      task: 'upos',
      quantity: 'mean linear-cka',
      higherIsBetter: true,
      points: Array.from({ length: 13 }, (_, layer) => ({
        layer,
        value: 0.4 + 0.4 * Math.sin((layer / 12) * Math.PI),
      })),
    },
    {
      task: 'upos',
      quantity: 'procrustes accuracy',
      higherIsBetter: true,
      points: Array.from({ length: 13 }, (_, layer) => {
        const value = 0.3 + 0.35 * Math.sin(((layer + 1) / 14) * Math.PI);
        return { layer, value, lower: value - 0.02, upper: value + 0.02 };
      }),
    },
  ];
}

/** UPOS prototypes around shared centres, each language shifted as a whole, projected to 2-D. */
function syntheticProjection(rng: Rng): PrototypeProjection {
  const k = 16;
  const centres = UPOS_LABELS.map(() => Array.from({ length: k }, () => 3 * rng.normal()));
  return projectPrototypes(
    LANGUAGES.map((language) => {
      const shift = Array.from({ length: k }, () => 0.8 * rng.normal());
      return {
        language,
        labels: [...UPOS_LABELS],
        prototypes: centres.map((c) => c.map((v, j) => v + shift[j] + 0.5 * rng.normal())),
      };
    }),
    { task: 'upos', layer: 8, space: 'procrustes-mapped' },
  );
}

/** Procrustes disparity (with p-values) and linear CKA, both following the family line, with controls. */
function syntheticAlignability(rng: Rng): AlignabilityMatrix[] {
  const languages = [...LANGUAGES];
  const distance = (a: string, b: string) => Math.abs(FAMILY[a] - FAMILY[b]);
  const matrix = (f: (a: string, b: string) => number) =>
    languages.map((a) => languages.map((b) => Math.round(f(a, b) * 1e4) / 1e4));
  return [
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
  ];
}

function syntheticRun(): RunMetadata {
  return {
    title: 'Synthetic xling report',
    configHash: 'sha256:0f3a9c1e',
    createdAt: '2026-11-28T10:00:00.000Z',
    model: { name: 'tiny-random-xlmr', dtype: 'fp32', hiddenSize: 64, layers: 12 },
    layer: 8,
    pooling: 'first',
    sourceLanguage: 'en',
    seeds: [1, 2, 3, 4, 5],
    ud: { version: '2.14', treebanks: LANGUAGES.map(syntheticTreebank) },
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
    resourceGroups: { low: [...LOW], high: [...HIGH] },
    notes: ['Synthetic numbers for tests; not a real experiment.'],
    prototypes: 'probe',
  };
}

/** fi has no train split, tr a small one, wo and yo none: the splits the substitutions above declare. */
function syntheticTreebank(language: string): TreebankInfo {
  const low = LOW.includes(language);
  return {
    language,
    treebank: `UD_${language}`,
    resource: low ? 'low' : 'high',
    splits:
      language === 'fi'
        ? { dev: 500, test: 500 }
        : language === 'tr'
          ? { train: 400, test: 300 }
          : low
            ? { dev: 120, test: 300 }
            : { train: 2000, dev: 500, test: 500 },
  };
}
