import { InvalidArgumentError, ShapeMismatchError } from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';

/**
 * The `wordIds` of an instance set that word-type baselines need, checked against its `rows`. An
 * empty set may lack them (buildInstances gives none when there are no words).
 * @throws XLING_INVALID_ARGUMENT when missing or not an Int32Array; XLING_SHAPE_MISMATCH for a wrong length
 */
export function checkWordIds(set: InstanceSet, rows: number, argument: string, fn: string): Int32Array {
  const wordIds = set.wordIds;
  if (wordIds === undefined) {
    if (rows === 0) return new Int32Array(0);
    throw new InvalidArgumentError(
      `${argument}.wordIds`,
      fn,
      "is required (one word-form id per row: build the set from words with a 'form', or give " +
        "buildInstancesFromTensors the input's 'wordIds'), but got undefined.",
    );
  }
  if (!(wordIds instanceof Int32Array)) {
    throw new InvalidArgumentError(
      `${argument}.wordIds`,
      fn,
      `must be an Int32Array of word-form ids, but got ${Array.isArray(wordIds) ? 'an array' : typeof wordIds}.`,
    );
  }
  if (wordIds.length !== rows) {
    throw new ShapeMismatchError(
      `${argument}.wordIds`,
      fn,
      `${rows} entries (one per row of x)`,
      String(wordIds.length),
    );
  }
  return wordIds;
}
