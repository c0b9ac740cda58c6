import { createRng } from '@xling/core';
import {
  type InstanceSet,
  type LanguageAdapterProtoNet,
  LinearProbe,
  type LinearProbeOptions,
  selectSentences,
} from '@xling/meta';
import { seedInterval } from '../metrics/seed-interval.js';
import type { FewShotCurve, FewShotPoint } from '../report/experiment-result.js';

/** A few-shot target: sentences to draw the support from, and its test split. */
export interface FewShotTarget {
  language: string;
  fit: InstanceSet;
  test: InstanceSet;
}

/** Inputs of {@link runFewShot}. */
export interface FewShotInputs {
  task: 'upos' | 'deprel';
  layer: number;
  net: LanguageAdapterProtoNet;
  targets: FewShotTarget[];
  shots: number[];
  seeds: number[];
  /** Epochs of the adapter fit and of the probe baseline. */
  epochs: number;
  /** Options of the baseline probe fitted on the support alone. */
  probe: LinearProbeOptions;
  seed: number;
}

/** A curve point: mean and Student-t interval over seeds. */
function curvePoint(n: number, values: number[]): FewShotPoint {
  const { mean, lower, upper, seeds } = seedInterval(values);
  return { n, mean, lower, upper, seeds, values };
}

/**
 * Few-shot curves (METHOD.md section 5): for each target, support size N and seed, draw N
 * sentences of the target's fitting split, fit a fresh language adapter on them with phi frozen,
 * and score the test split; beside it, a probe fitted on the same N sentences alone. Shots larger
 * than the available sentences are skipped for that target.
 */
export function runFewShot(inputs: FewShotInputs): FewShotCurve[] {
  const { task, layer, net, targets, shots, seeds, epochs, probe, seed } = inputs;
  const curves: FewShotCurve[] = [];
  for (const target of targets) {
    const available = (target.fit.sentenceOffsets?.length ?? 1) - 1;
    const adapter: FewShotPoint[] = [];
    const baseline: FewShotPoint[] = [];
    for (const n of shots) {
      if (n > available) continue;
      const adapted: number[] = [];
      const probed: number[] = [];
      for (const s of seeds) {
        const rng = createRng(seed).fork(`few-shot/${task}/${target.language}/${n}/${s}`);
        const support = selectSentences(target.fit, rng.shuffle([...Array(available).keys()]).slice(0, n));
        adapted.push(net.adapt(support, { seed: s, epochs }).score(target.test));
        probed.push(new LinearProbe({ ...probe, seed: s, epochs }).fit(support).score(target.test));
      }
      adapter.push(curvePoint(n, adapted));
      baseline.push(curvePoint(n, probed));
    }
    if (adapter.length === 0) continue;
    curves.push({ task, layer, language: target.language, method: 'few-shot-adapter', points: adapter });
    curves.push({ task, layer, language: target.language, method: 'probe-on-support', points: baseline });
  }
  return curves;
}
