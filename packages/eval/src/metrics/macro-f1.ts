import { checkOptions, InvalidArgumentError } from '@xling/core';
import { checkLabelPair, isNoPrediction, type Label, type Prediction, sortLabels } from './labels.js';

/** Options of {@link macroF1}. */
export interface MacroF1Options {
  /**
   * The labels to average over. By default the labels present in `gold` or `predicted` (the
   * "no prototype" marker is never a label). With an explicit list, a label absent from both
   * gets `zeroDivision` as its F1, and words whose labels are outside the list are ignored, as in
   * scikit-learn.
   * @defaultValue labels present in gold or predicted
   */
  labels?: readonly Label[];
  /**
   * Value of a precision or recall whose denominator is 0 (scikit-learn's `zero_division`; its
   * default `'warn'` behaves as 0).
   * @defaultValue 0
   */
  zeroDivision?: 0 | 1;
}

/**
 * Macro-averaged F1: the unweighted mean over labels of each label's F1, with scikit-learn's
 * semantics (`f1_score(gold, predicted, average='macro', labels=..., zero_division=...)`):
 * precision = tp / predicted count, recall = tp / gold count, either set to `zeroDivision` when its
 * denominator is 0, F1 = 2PR / (P + R) and 0 when P + R = 0.
 *
 * The label set is restricted to labels present in `gold` or `predicted` unless `labels` is
 * given, so labels the test set never mentions do not drag the mean down. A `null`/`-1`
 * prediction ("no prototype") is a miss for the gold label (a false negative) and a false positive
 * for no label.
 *
 * @returns macro-F1 in [0, 1]
 * @throws XLING_SHAPE_MISMATCH when lengths differ; XLING_INVALID_ARGUMENT on empty input or bad options.
 * @see sklearn.metrics.f1_score (average='macro'), scikit-learn 1.2
 * @example
 * macroF1(['a', 'a', 'b', 'c'], ['a', 'b', 'b', null]); // 0.4444444444444444
 */
export function macroF1(
  gold: readonly Label[],
  predicted: readonly Prediction[],
  options: MacroF1Options = {},
): number {
  const { labels, ...rest } = options ?? {};
  checkOptions(rest, { zeroDivision: { type: 'integer', min: 0, max: 1, optional: true } }, 'macroF1');
  checkLabelPair(gold, predicted, 'macroF1');
  if (labels !== undefined && (!Array.isArray(labels) || labels.length === 0)) {
    throw new InvalidArgumentError(
      'options.labels',
      'macroF1',
      `must be a non-empty array of labels, but got ${JSON.stringify(labels)}.`,
    );
  }
  return macroF1FromCounts(f1Counts(gold, predicted, labels), rest.zeroDivision ?? 0);
}

/** Per-label counts behind F1: true positives, predicted counts and gold counts. */
export interface F1Counts {
  labels: Label[];
  tp: Float64Array;
  predictedCount: Float64Array;
  goldCount: Float64Array;
}

/** Counts tp / predicted / gold per label (shared by the bootstrap code). */
export function f1Counts(
  gold: readonly Label[],
  predicted: readonly Prediction[],
  labels?: readonly Label[],
): F1Counts {
  let labelList: Label[];
  if (labels !== undefined) labelList = [...labels];
  else {
    const present: Label[] = [...gold];
    for (const p of predicted) if (!isNoPrediction(p)) present.push(p as Label);
    labelList = sortLabels(present);
  }
  const index = new Map<Label, number>();
  for (const [i, label] of labelList.entries()) index.set(label, i);
  const k = labelList.length;
  const tp = new Float64Array(k);
  const predictedCount = new Float64Array(k);
  const goldCount = new Float64Array(k);
  for (let i = 0; i < gold.length; i++) {
    const g = index.get(gold[i]);
    const p = isNoPrediction(predicted[i]) ? undefined : index.get(predicted[i] as Label);
    if (g !== undefined) goldCount[g]++;
    if (p !== undefined) predictedCount[p]++;
    if (g !== undefined && g === p) tp[g]++;
  }
  return { labels: labelList, tp, predictedCount, goldCount };
}

/** Macro-F1 from counts with scikit-learn 1.2's division rules. */
export function macroF1FromCounts(counts: F1Counts, zeroDivision: number): number {
  const { tp, predictedCount, goldCount } = counts;
  let sum = 0;
  for (let j = 0; j < tp.length; j++) {
    const precision = predictedCount[j] === 0 ? zeroDivision : tp[j] / predictedCount[j];
    const recall = goldCount[j] === 0 ? zeroDivision : tp[j] / goldCount[j];
    const denominator = precision + recall;
    sum += denominator === 0 ? 0 : (2 * precision * recall) / denominator;
  }
  return sum / tp.length;
}
