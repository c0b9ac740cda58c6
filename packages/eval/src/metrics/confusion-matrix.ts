import { checkOptions, InvalidArgumentError } from '@xling/core';
import { checkLabelPair, isNoPrediction, type Label, type Prediction, sortLabels } from './labels.js';

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /**
   * Row and column order. Words whose gold or predicted label is outside the list are not counted
   * in `matrix` (as in scikit-learn); see `unlisted`.
   * @defaultValue labels present in gold or predicted, sorted
   */
  labels?: readonly Label[];
}

/** Result of {@link confusionMatrix}. */
export interface ConfusionMatrix {
  /** Row/column labels. */
  labels: Label[];
  /** `matrix[i][j]`: words with gold `labels[i]` predicted as `labels[j]` (scikit-learn's layout). */
  matrix: number[][];
  /** `noPrediction[i]`: words with gold `labels[i]` that got no prototype (`null`/`-1`). */
  noPrediction: number[];
  /** Words left out because their gold or predicted label is not in `labels`. */
  unlisted: number;
  /** Total words. */
  n: number;
}

/**
 * Confusion matrix with rows = gold and columns = predicted, like scikit-learn's
 * `confusion_matrix(gold, predicted, labels=labels)`, plus a column of "no prototype" counts so
 * that every word is accounted for.
 *
 * @throws XLING_SHAPE_MISMATCH when lengths differ; XLING_INVALID_ARGUMENT on empty input or bad labels.
 * @see sklearn.metrics.confusion_matrix
 * @example
 * confusionMatrix(['a', 'b', 'b'], ['a', 'a', null]).matrix; // [[1, 0], [1, 0]]
 */
export function confusionMatrix(
  gold: readonly Label[],
  predicted: readonly Prediction[],
  options: ConfusionMatrixOptions = {},
): ConfusionMatrix {
  const { labels, ...rest } = options ?? {};
  checkOptions(rest, {}, 'confusionMatrix');
  checkLabelPair(gold, predicted, 'confusionMatrix');
  if (labels !== undefined && (!Array.isArray(labels) || labels.length === 0)) {
    throw new InvalidArgumentError(
      'options.labels',
      'confusionMatrix',
      `must be a non-empty array of labels, but got ${JSON.stringify(labels)}.`,
    );
  }
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
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const noPrediction = new Array<number>(k).fill(0);
  let unlisted = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = index.get(gold[i]);
    if (g === undefined) {
      unlisted++;
      continue;
    }
    if (isNoPrediction(predicted[i])) {
      noPrediction[g]++;
      continue;
    }
    const p = index.get(predicted[i] as Label);
    if (p === undefined) unlisted++;
    else matrix[g][p]++;
  }
  return { labels: labelList, matrix, noPrediction, unlisted, n: gold.length };
}
