import { ShapeMismatchError, checkOptions } from '@xling/core';

/** Options of {@link validLabels}. */
export interface ValidLabelsOptions {
  /**
   * Minimum number of instances a label needs in each language.
   * @defaultValue 10
   */
  minCount?: number;
}

/**
 * The valid label set V(src, l) of METHOD.md section 5: ids of labels with at least `minCount`
 * instances in both languages, ascending.
 *
 * @param sourceCounts - per-label instance counts of the source language (see `countLabels`)
 * @param targetCounts - per-label instance counts of the other language
 * @throws XLING_SHAPE_MISMATCH when the count vectors differ in length
 * @example validLabels(countLabels(en.labels, 17), countLabels(de.labels, 17)) // Int32Array [0, 1, ...]
 */
export function validLabels(
  sourceCounts: ArrayLike<number>,
  targetCounts: ArrayLike<number>,
  options: ValidLabelsOptions = {},
): Int32Array {
  checkOptions(options, { minCount: { type: 'integer', min: 0 } }, 'validLabels');
  const { minCount = 10 } = options;
  if (sourceCounts.length !== targetCounts.length) {
    throw new ShapeMismatchError(
      'targetCounts',
      'validLabels',
      `length ${sourceCounts.length} like 'sourceCounts'`,
      String(targetCounts.length),
    );
  }
  const out: number[] = [];
  for (let c = 0; c < sourceCounts.length; c++) {
    if (sourceCounts[c] >= minCount && targetCounts[c] >= minCount) out.push(c);
  }
  return Int32Array.from(out);
}
