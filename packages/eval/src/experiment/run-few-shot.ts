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

/** One unit of the few-shot curves: a target and seed, at every support size that fits. */
export interface FewShotSeedScores {
  /** The untouched identity adapter's score (it ignores the support). */
  untouched: number;
  points: Array<{ n: number; adapter: number; probe: number }>;
}

/**
 * Computes (or, through a cache, finds) one target and seed's scores; returns undefined for a
 * unit another shard owns.
 */
export type FewShotUnit = (
  target: FewShotTarget,
  seed: number,
  compute: () => Promise<FewShotSeedScores>,
) => Promise<FewShotSeedScores | undefined>;

const sentencesOf = (target: FewShotTarget) => (target.fit.sentenceOffsets?.length ?? 1) - 1;

/**
 * One target and seed: for each support size N that the fitting split holds, draw N sentences,
 * fit a fresh language adapter on them with phi frozen and score the test split; beside it, a
 * probe fitted on the same N sentences alone.
 */
export async function fewShotSeed(
  inputs: FewShotInputs,
  target: FewShotTarget,
  s: number,
): Promise<FewShotSeedScores> {
  const { task, net, shots, epochs, probe, seed } = inputs;
  const available = sentencesOf(target);
  // phi is frozen: the test set is embedded once for every adapter of the seed.
  const z = await net.embedAsync(target.test.x);
  const points: FewShotSeedScores['points'] = [];
  for (const n of shots.filter((n) => n <= available)) {
    const rng = createRng(seed).fork(`few-shot/${task}/${target.language}/${n}/${s}`);
    const support = selectSentences(target.fit, rng.shuffle([...Array(available).keys()]).slice(0, n));
    points.push({
      n,
      adapter: (await net.adaptAsync(support, { seed: s, ...(epochs ? { epochs } : {}) })).scoreEmbedded(
        z,
        target.test.labels,
      ),
      probe: (await new LinearProbe({ ...probe, seed: s }).fit(support)).score(target.test),
    });
  }
  return { untouched: net.identityAdapter().scoreEmbedded(z, target.test.labels), points };
}

/**
 * Few-shot curves (METHOD.md section 5): for each target, support size N and seed, the scores of
 * {@link fewShotSeed}, as mean and interval over seeds for the adapter, the support-only probe
 * and the untouched identity adapter (what the adapter must beat; one score per target, drawn
 * flat across N). Shots larger than the available sentences are skipped for that target. Each
 * target and seed is a unit computed through `unit` (default: computed here); when a unit is
 * another shard's, no curves are returned.
 */
export async function runFewShot(
  inputs: FewShotInputs,
  unit: FewShotUnit = (_target, _seed, compute) => compute(),
): Promise<FewShotCurve[]> {
  const { task, layer, targets, seeds } = inputs;
  const scores: FewShotSeedScores[][] = [];
  for (const target of targets) {
    const perSeed: FewShotSeedScores[] = [];
    for (const s of seeds) {
      const got = await unit(target, s, () => fewShotSeed(inputs, target, s));
      if (got) perSeed.push(got);
    }
    scores.push(perSeed);
  }
  if (scores.some((perSeed) => perSeed.length < seeds.length)) return [];
  const curves: FewShotCurve[] = [];
  for (const [t, target] of targets.entries()) {
    const perSeed = scores[t];
    const sizes = perSeed[0]?.points.map((p) => p.n) ?? [];
    if (sizes.length === 0) continue;
    const at = (i: number, key: 'adapter' | 'probe') => perSeed.map((r) => r.points[i][key]);
    const curve = (method: FewShotCurve['method'], values: (i: number) => number[]): FewShotCurve => ({
      task,
      layer,
      language: target.language,
      method,
      points: sizes.map((n, i) => curvePoint(n, values(i))),
    });
    curves.push(curve('few-shot-adapter', (i) => at(i, 'adapter')));
    curves.push(curve('probe-on-support', (i) => at(i, 'probe')));
    curves.push(curve('identity-adapter', () => perSeed.map((r) => r.untouched)));
  }
  return curves;
}
