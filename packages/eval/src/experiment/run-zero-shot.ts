import { OrthogonalProcrustes } from '@xling/align';
import { selectRows } from '@xling/core';
import {
  type InstanceSet,
  type LinearProbe,
  MajorityClass,
  type MetaProtoNet,
  SourceClassifier,
} from '@xling/meta';
import { deprel, upos } from '@xling/core';
import { confusionMatrix } from '../metrics/confusion-matrix.js';
import type { ConfusionSummary, ZeroShotScore } from '../report/experiment-result.js';
import { nearestPrototype } from './nearest-prototype.js';
import { scorePredictions } from './score-predictions.js';

/** The zero-shot methods, in report order, with what each one is. */
export const ZERO_SHOT_METHODS = {
  majority: 'the source language’s most frequent label',
  'source-classifier':
    'a linear classifier (logistic regression) trained on the source language, applied unchanged',
  'source-probe': 'nearest source prototype through the source probe, without any learned map',
  procrustes:
    'target prototypes mapped onto the source prototypes by orthogonal Procrustes (rotation + scale)',
  meta: 'the meta-learned map (zero-shot variant) onto the source prototypes',
  'in-language': 'the target language’s own probe (a ceiling, not zero-shot)',
} as const;

/** A zero-shot target: its test instances and, when it has a fitting split, its own probe. */
export interface ZeroShotTarget {
  language: string;
  treebank: string;
  test: InstanceSet;
  probe?: LinearProbe;
}

/** Inputs of {@link runZeroShot}. */
export interface ZeroShotInputs {
  task: 'upos' | 'deprel';
  layer: number;
  sourceProbe: LinearProbe;
  /** The source's fitting instances (majority baseline, source classifier). */
  sourceFit: InstanceSet;
  /** The source's dev instances, when it has a dev split apart from the fitting one (early stopping). */
  sourceDev?: InstanceSet;
  /** Seed of the source classifier. */
  seed: number;
  meta?: MetaProtoNet;
  targets: ZeroShotTarget[];
  scoring: { resamples: number; alpha: number; seed: number };
}

/** What {@link runZeroShot} measured. */
export interface ZeroShotResult {
  /** One score per target × method. */
  scores: ZeroShotScore[];
  /** Per method, the confusion matrix of all its targets' test words pooled. */
  confusion: ConfusionSummary[];
}

/**
 * Scores every zero-shot method of {@link ZERO_SHOT_METHODS} on every target's test split
 * (METHOD.md section 6): word accuracy with unprototyped labels counted wrong, macro-F1, and a
 * bootstrap interval over sentences, plus a pooled confusion matrix per method. Methods that need
 * the target's own fitting split (`procrustes`, `in-language`) are left out for test-only
 * treebanks.
 */
export async function runZeroShot(inputs: ZeroShotInputs): Promise<ZeroShotResult> {
  const { task, layer, sourceProbe, sourceFit, sourceDev, seed, meta, targets, scoring } = inputs;
  const majority = new MajorityClass().fit(sourceFit);
  const classifier = new SourceClassifier({ seed }).fit(sourceFit, sourceDev);
  const sourcePrototypes = sourceProbe.prototypes;
  const sourceLabels = sourceProbe.prototypeLabels;
  const out: ZeroShotScore[] = [];
  const pooled = new Map<string, { gold: number[]; predicted: number[]; languages: string[] }>();
  for (const target of targets) {
    const { test, probe } = target;
    const predictions: Partial<Record<keyof typeof ZERO_SHOT_METHODS, Int32Array>> = {
      majority: majority.predict(test.x),
      'source-classifier': classifier.predict(test.x),
      // Plain nearest source prototype, the decision rule of the maps it is compared with.
      'source-probe': sourceProbe.predict(test.x, { classPrior: 'uniform' }),
    };
    if (probe) {
      const shared = sharedLabelRows(probe.prototypeLabels, sourceLabels);
      if (shared.target.length >= 3) {
        const map = new OrthogonalProcrustes({ scale: true, center: true }).fit(
          selectRows(probe.prototypes, shared.target),
          selectRows(sourcePrototypes, shared.source),
        );
        predictions.procrustes = nearestPrototype(
          map.transform(probe.transform(test.x)),
          sourcePrototypes,
          sourceLabels,
        );
      }
    }
    if (meta) predictions.meta = await meta.predictAsync(test.x);
    if (probe) predictions['in-language'] = probe.predict(test.x);
    for (const method of Object.keys(ZERO_SHOT_METHODS) as Array<keyof typeof ZERO_SHOT_METHODS>) {
      const predicted = predictions[method];
      if (!predicted) continue;
      const scores = scorePredictions(test, predicted, scoring);
      out.push({ task, layer, language: target.language, treebank: target.treebank, method, ...scores });
      const pool = pooled.get(method) ?? { gold: [], predicted: [], languages: [] };
      pool.gold.push(...test.labels);
      pool.predicted.push(...predicted);
      pool.languages.push(target.language);
      pooled.set(method, pool);
    }
  }
  const inventory = task === 'upos' ? upos : deprel;
  const confusion = [...pooled].map(([method, pool]): ConfusionSummary => {
    // Rows and columns: every label that occurs as gold or prediction, in inventory order.
    const present = new Set([...pool.gold, ...pool.predicted.filter((p) => p >= 0)]);
    const ids = [...inventory.labels.keys()].filter((id) => present.has(id));
    const c = confusionMatrix(pool.gold, pool.predicted, { labels: ids });
    return {
      task,
      layer,
      method,
      languages: pool.languages,
      labels: ids.map((id) => inventory.label(id)),
      matrix: c.matrix,
      noPrediction: c.noPrediction,
    };
  });
  return { scores: out, confusion };
}

function sharedLabelRows(
  targetLabels: Int32Array,
  sourceLabels: Int32Array,
): { target: number[]; source: number[] } {
  const sourceRow = new Map(Array.from(sourceLabels, (l, i) => [l, i]));
  const target: number[] = [];
  const source: number[] = [];
  targetLabels.forEach((l, i) => {
    const j = sourceRow.get(l);
    if (j !== undefined) {
      target.push(i);
      source.push(j);
    }
  });
  return { target, source };
}
