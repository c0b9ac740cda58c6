import { InvalidArgumentError, ShapeMismatchError } from '@xling/core';
import type { Matrix } from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { asMatrixView } from './as-matrix-view.js';

/** An instance set, validated (vectors stay float32 when given so). */
export interface CheckedInstanceSet {
  x: Matrix;
  labels: Int32Array;
  sentenceOffsets: Int32Array;
  numLabels: number;
  fitSplit?: string;
  language?: string;
}

/** Validates an {@link InstanceSet} argument once at a public entry point. */
export function checkInstanceSet(
  set: InstanceSet,
  argument: string,
  fn: string,
  d?: number,
): CheckedInstanceSet {
  if (typeof set !== 'object' || set === null) {
    throw new InvalidArgumentError(
      argument,
      fn,
      `must be an InstanceSet, but got ${set === null ? 'null' : typeof set}.`,
    );
  }
  const x = asMatrixView(set.x, `${argument}.x`, fn);
  if (d !== undefined && x.cols !== d)
    throw new ShapeMismatchError(`${argument}.x`, fn, `${d} columns`, String(x.cols));
  const labels = set.labels instanceof Int32Array ? set.labels : Int32Array.from(set.labels ?? []);
  if (labels.length !== x.rows) {
    throw new ShapeMismatchError(
      `${argument}.labels`,
      fn,
      `${x.rows} entries (one per row of x)`,
      String(labels.length),
    );
  }
  const numLabels = set.numLabels;
  if (!Number.isInteger(numLabels) || numLabels < 1) {
    throw new InvalidArgumentError(
      `${argument}.numLabels`,
      fn,
      `must be a positive integer, but got ${numLabels}.`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || labels[i] >= numLabels) {
      throw new InvalidArgumentError(
        `${argument}.labels`,
        fn,
        `must hold ids in [0, ${numLabels}), but entry ${i} is ${labels[i]}.`,
      );
    }
  }
  let offsets: Int32Array;
  if (set.sentenceOffsets === undefined) {
    // No sentence structure: every instance is its own "sentence".
    offsets = new Int32Array(x.rows + 1);
    for (let i = 0; i <= x.rows; i++) offsets[i] = i;
  } else {
    offsets =
      set.sentenceOffsets instanceof Int32Array ? set.sentenceOffsets : Int32Array.from(set.sentenceOffsets);
    if (offsets.length < 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== x.rows) {
      throw new InvalidArgumentError(
        `${argument}.sentenceOffsets`,
        fn,
        `must start at 0 and end at ${x.rows} (rows of x), but got [${offsets[0]} .. ${offsets[offsets.length - 1]}].`,
      );
    }
    for (let s = 1; s < offsets.length; s++) {
      if (offsets[s] < offsets[s - 1]) {
        throw new InvalidArgumentError(
          `${argument}.sentenceOffsets`,
          fn,
          `must be non-decreasing, but entry ${s} decreases.`,
        );
      }
    }
  }
  return {
    x,
    labels,
    sentenceOffsets: offsets,
    numLabels,
    ...(set.fitSplit !== undefined ? { fitSplit: set.fitSplit } : {}),
    ...(set.language !== undefined ? { language: set.language } : {}),
  };
}

/** Row indices of the given sentences, in order. */
export function sentenceRows(offsets: Int32Array, sentences: ArrayLike<number>): Int32Array {
  let n = 0;
  for (let i = 0; i < sentences.length; i++) n += offsets[sentences[i] + 1] - offsets[sentences[i]];
  const out = new Int32Array(n);
  let r = 0;
  for (let i = 0; i < sentences.length; i++) {
    for (let j = offsets[sentences[i]]; j < offsets[sentences[i] + 1]; j++) out[r++] = j;
  }
  return out;
}
