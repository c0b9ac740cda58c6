import { InvalidArgumentError, type Rng } from '@xling/core';
import { isNoPrediction, type Label, type SentencePredictions, sortLabels } from './labels.js';
import { countCorrect } from './word-accuracy.js';

/** A metric over a set of sentences, by name or as a function of the (resampled) sentences. */
export type SentenceMetric =
  | 'accuracy'
  | 'macro-f1'
  | ((sentences: readonly SentencePredictions[]) => number);

/** Options shared by the metrics that the bootstrap functions evaluate. */
export interface SentenceMetricOptions {
  /** See {@link WordAccuracyOptions.prototypeLabels} (accuracy only). */
  prototypeLabels?: readonly Label[];
  /** See {@link MacroF1Options.labels} (macro-F1 only). */
  labels?: readonly Label[];
  /** See {@link MacroF1Options.zeroDivision} (macro-F1 only). @defaultValue 0 */
  zeroDivision?: 0 | 1;
}

/**
 * Precomputes per-sentence sufficient statistics so that a resample costs O(sentences × labels)
 * instead of re-reading every word: correct/total counts for accuracy, per-label tp/predicted/gold
 * counts for macro-F1. `evaluate(indices)` computes the metric on the multiset of sentences.
 */
export function prepareSentenceMetric(
  sentences: readonly SentencePredictions[],
  metric: SentenceMetric,
  options: SentenceMetricOptions,
  functionName: string,
): (indices: ArrayLike<number>) => number {
  const n = sentences.length;
  if (typeof metric === 'function') {
    return (indices) => {
      const sample: SentencePredictions[] = new Array(indices.length);
      for (let i = 0; i < indices.length; i++) sample[i] = sentences[indices[i]];
      return metric(sample);
    };
  }
  if (metric === 'accuracy') {
    const correct = new Float64Array(n);
    const total = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const { gold, predicted } = sentences[s];
      correct[s] = countCorrect(gold, predicted, options.prototypeLabels, functionName, true);
      total[s] = gold.length;
    }
    return (indices) => {
      let c = 0;
      let t = 0;
      for (let i = 0; i < indices.length; i++) {
        c += correct[indices[i]];
        t += total[indices[i]];
      }
      // A resample made only of empty sentences has no words; accuracy is undefined there.
      return t === 0 ? Number.NaN : c / t;
    };
  }
  if (metric === 'macro-f1') {
    const fixed = options.labels !== undefined;
    let labels: Label[];
    if (fixed) labels = [...(options.labels as Label[])];
    else {
      const present: Label[] = [];
      for (const { gold, predicted } of sentences) {
        for (const g of gold) present.push(g);
        for (const p of predicted) if (!isNoPrediction(p)) present.push(p as Label);
      }
      labels = sortLabels(present);
    }
    const index = new Map<Label, number>();
    for (const [i, label] of labels.entries()) index.set(label, i);
    const k = labels.length;
    // Row-major n × 3k: tp, predicted count, gold count per label.
    const counts = new Float64Array(n * 3 * k);
    for (let s = 0; s < n; s++) {
      const { gold, predicted } = sentences[s];
      const base = s * 3 * k;
      for (let i = 0; i < gold.length; i++) {
        const g = index.get(gold[i]);
        const p = isNoPrediction(predicted[i]) ? undefined : index.get(predicted[i] as Label);
        if (g !== undefined) counts[base + 2 * k + g]++;
        if (p !== undefined) counts[base + k + p]++;
        if (g !== undefined && g === p) counts[base + g]++;
      }
    }
    const zeroDivision = options.zeroDivision ?? 0;
    const sum = new Float64Array(3 * k);
    return (indices) => {
      sum.fill(0);
      for (let i = 0; i < indices.length; i++) {
        const base = indices[i] * 3 * k;
        for (let j = 0; j < 3 * k; j++) sum[j] += counts[base + j];
      }
      let f = 0;
      let used = 0;
      for (let j = 0; j < k; j++) {
        const tp = sum[j];
        const predictedCount = sum[k + j];
        const goldCount = sum[2 * k + j];
        // Without explicit labels, only labels present in this resample count (sklearn's default).
        if (!fixed && predictedCount === 0 && goldCount === 0) continue;
        used++;
        const precision = predictedCount === 0 ? zeroDivision : tp / predictedCount;
        const recall = goldCount === 0 ? zeroDivision : tp / goldCount;
        const denominator = precision + recall;
        f += denominator === 0 ? 0 : (2 * precision * recall) / denominator;
      }
      return used === 0 ? Number.NaN : f / used;
    };
  }
  throw new InvalidArgumentError(
    'options.metric',
    functionName,
    `must be 'accuracy', 'macro-f1' or a function, but got ${JSON.stringify(metric)}.`,
  );
}

/** Fills `out` with `out.length` indices drawn uniformly with replacement from [0, n). */
export function drawIndices(rng: Rng, n: number, out: Uint32Array): Uint32Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.int(n);
  return out;
}

/** Identity indices 0..n-1. */
export function allIndices(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Sample standard deviation (ddof = 1) ignoring NaN. */
export function sampleStd(values: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    s += values[i];
    n++;
  }
  if (n < 2) return Number.NaN;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    ss += (values[i] - m) * (values[i] - m);
  }
  return Math.sqrt(ss / (n - 1));
}
