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
  /** Most epochs of the adapter fit (undefined: the adapter's default). */
  epochs?: number;
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
 * and score the test split; beside it, a probe fitted on the same N sentences alone and the
 * untouched identity adapter (what the adapter must beat). Shots larger than the available
 * sentences are skipped for that target.
 */
export async function runFewShot(inputs: FewShotInputs): Promise<FewShotCurve[]> {
  const { task, layer, net, targets, shots, seeds, epochs, probe, seed } = inputs;
  const curves: FewShotCurve[] = [];
  for (const target of targets) {
    const available = (target.fit.sentenceOffsets?.length ?? 1) - 1;
    const adapter: FewShotPoint[] = [];
    const baseline: FewShotPoint[] = [];
    const identity: FewShotPoint[] = [];
    // phi is frozen: the test set is embedded once for every adapter of the curve. The identity
    // adapter ignores the support: one score per target, drawn flat across N.
    const z = net.embed(target.test.x);
    const untouchedScore = net.identityAdapter().scoreEmbedded(z, target.test.labels);
    for (const n of shots) {
      if (n > available) continue;
      const adapted: number[] = [];
      const probed: number[] = [];
      for (const s of seeds) {
        const rng = createRng(seed).fork(`few-shot/${task}/${target.language}/${n}/${s}`);
        const support = selectSentences(target.fit, rng.shuffle([...Array(available).keys()]).slice(0, n));
        adapted.push(
          net.adapt(support, { seed: s, ...(epochs ? { epochs } : {}) }).scoreEmbedded(z, target.test.labels),
        );
        probed.push((await new LinearProbe({ ...probe, seed: s }).fit(support)).score(target.test));
      }
      adapter.push(curvePoint(n, adapted));
      baseline.push(curvePoint(n, probed));
      identity.push(
        curvePoint(
          n,
          seeds.map(() => untouchedScore),
        ),
      );
    }
    if (adapter.length === 0) continue;
    curves.push({ task, layer, language: target.language, method: 'few-shot-adapter', points: adapter });
    curves.push({ task, layer, language: target.language, method: 'probe-on-support', points: baseline });
    curves.push({ task, layer, language: target.language, method: 'identity-adapter', points: identity });
  }
  return curves;
}
