import { checkOptions, InvalidArgumentError } from '@xling/core';
import { checkLabelPair, isNoPrediction, type Label, type Prediction } from './labels.js';

/** Options of {@link wordAccuracy}. */
export interface WordAccuracyOptions {
  /**
   * Labels that have a prototype. When given, a word whose gold label is not in this list counts
   * as wrong whatever was predicted (METHOD.md section 7: "words whose gold label has no prototype
   * count as errors"), which guards against a predictor that falls back to a default class.
   * @defaultValue undefined (every label may be predicted correctly)
   */
  prototypeLabels?: readonly Label[];
}

/**
 * Word-level accuracy: the share of words whose prediction equals the gold label. A prediction of
 * `null` (or `-1` for integer labels) means "no prototype" and counts as wrong; punctuation is a
 * word like any other. Same value as scikit-learn's `accuracy_score(gold, predicted)`.
 *
 * @param gold - gold label per word (strings or non-negative integers)
 * @param predicted - predicted label per word, `null`/`-1` for no prototype
 * @returns accuracy in [0, 1]
 * @throws XLING_SHAPE_MISMATCH when lengths differ; XLING_INVALID_ARGUMENT on empty input or bad labels.
 * @see sklearn.metrics.accuracy_score
 * @example
 * wordAccuracy(['NOUN', 'VERB', 'PUNCT'], ['NOUN', null, 'PUNCT']); // 0.6666666666666666
 */
export function wordAccuracy(
  gold: readonly Label[],
  predicted: readonly Prediction[],
  options: WordAccuracyOptions = {},
): number {
  const { prototypeLabels, ...rest } = options ?? {};
  checkOptions(rest, {}, 'wordAccuracy');
  return countCorrect(gold, predicted, prototypeLabels, 'wordAccuracy') / gold.length;
}

/** Number of correct words (shared by the bootstrap code). */
export function countCorrect(
  gold: readonly Label[],
  predicted: readonly Prediction[],
  prototypeLabels: readonly Label[] | undefined,
  functionName: string,
  allowEmpty = false,
): number {
  checkLabelPair(gold, predicted, functionName, { allowEmpty });
  if (prototypeLabels !== undefined && !Array.isArray(prototypeLabels)) {
    throw new InvalidArgumentError(
      'options.prototypeLabels',
      functionName,
      `must be an array of labels, but got ${typeof prototypeLabels}.`,
    );
  }
  const allowed = prototypeLabels === undefined ? undefined : new Set<Label>(prototypeLabels);
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const p = predicted[i];
    if (isNoPrediction(p) || p !== gold[i]) continue;
    if (allowed !== undefined && !allowed.has(gold[i])) continue;
    correct++;
  }
  return correct;
}
