import type { Matrix } from '@xling/core';

/**
 * A language's concept prototypes as meta-learners consume them (METHOD.md section 3 output):
 * one k-dimensional prototype per label that occurs, plus per-label instance counts for the
 * valid-label sets V(src, l).
 */
export interface PrototypeSet {
  /** Prototypes p_c, one row per entry of `labels`: shape `m × k`. */
  readonly prototypes: Matrix;
  /** Label id of each prototype row, ascending. */
  readonly labels: Int32Array;
  /** Instances per label id in the fitting split (length `numLabels`). */
  readonly counts: Int32Array;
  /** Size of the label inventory. */
  readonly numLabels: number;
  /** Language code, when known. */
  readonly language?: string;
  /** Split the prototypes were fitted on. */
  readonly fitSplit?: string;
}
