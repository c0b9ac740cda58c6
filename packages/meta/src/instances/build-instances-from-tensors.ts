import {
  InvalidArgumentError,
  type Matrix,
  ShapeMismatchError,
  type Tensor,
  float16ToFloat32,
  stripDeprelSubtype,
} from '@xling/core';
import { assembleInstances, checkBuildOptions } from './assemble-instances.js';
import type { BuildInstancesOptions } from './build-instances.js';
import type { InstanceSet } from './instance-set.js';

/** A representation-store entry and the label ids of its words, as {@link buildInstancesFromTensors} reads them. */
export interface InstanceTensors {
  /**
   * The entry as `store.read(key)` returns it: `words` [W, d] (F32 or F16) and `word_counts`
   * [S]; for `deprel` also `root` [S, d] and `head` [W] (1-based, 0 = root, -1 = unknown: dropped).
   */
  tensors: Record<string, Tensor>;
  /**
   * Label id of each stored word (length W), an index into `labelNames`; -1 for none (the word
   * is dropped). For an entry written by `@xling/extract`: `tensors.upos.data` or
   * `tensors.deprel.data`.
   */
  labelIds: Int32Array | readonly number[];
  /**
   * The names of the ids, e.g. `UPOS_LABELS` or `DEPREL_LABELS` of `@xling/core`. They are
   * matched to the task's inventory by name (deprel subtypes stripped); a name outside it drops
   * its words.
   */
  labelNames: readonly string[];
  /**
   * Word-form id of each stored word (`wordFormId(form)`), length W; carried to the output's
   * `wordIds` for the words that are kept.
   * @defaultValue none: the output has no `wordIds`
   */
  wordIds?: Int32Array;
}

function vectors(tensors: Record<string, Tensor>, name: string, fn: string): Matrix {
  const t = tensors[name];
  if (t === undefined)
    throw new InvalidArgumentError(`input.tensors.${name}`, fn, 'is required, but is missing.');
  if (t.shape.length !== 2)
    throw new ShapeMismatchError(`input.tensors.${name}`, fn, '2 dimensions', `[${t.shape.join(', ')}]`);
  let data: Float32Array;
  if (t.dtype === 'F32') data = t.data as Float32Array;
  else if (t.dtype === 'F16') data = float16ToFloat32(t.data as Uint16Array);
  else
    throw new InvalidArgumentError(
      `input.tensors.${name}.dtype`,
      fn,
      `must be 'F32' or 'F16', but got '${t.dtype}'.`,
    );
  return { rows: t.shape[0], cols: t.shape[1], data };
}

function ints(tensors: Record<string, Tensor>, name: string, fn: string, length?: number): Int32Array {
  const t = tensors[name];
  if (t === undefined)
    throw new InvalidArgumentError(`input.tensors.${name}`, fn, 'is required, but is missing.');
  if (t.dtype !== 'I32')
    throw new InvalidArgumentError(`input.tensors.${name}.dtype`, fn, `must be 'I32', but got '${t.dtype}'.`);
  return checkLength(t.data as Int32Array, `input.tensors.${name}`, fn, length);
}

function checkLength<T extends ArrayLike<number>>(
  values: T,
  argument: string,
  fn: string,
  length?: number,
): T {
  if (length !== undefined && values.length !== length)
    throw new ShapeMismatchError(
      argument,
      fn,
      `${length} entries (one per row of 'input.tensors.words')`,
      String(values.length),
    );
  return values;
}

/** How an argument that should be an Int32Array (or an array of ids) is described in an error. */
function kindOf(value: unknown): string {
  return value === null ? 'null' : ArrayBuffer.isView(value) ? value.constructor.name : typeof value;
}

/**
 * The label ids of `input` in the task's inventory, -1 for words that are dropped: no label,
 * a name outside the inventory, or (deprel) an unknown head.
 */
function taskLabelIds(
  input: InstanceTensors,
  inventory: { indexOf(name: string): number },
  task: 'upos' | 'deprel',
  heads: Int32Array | undefined,
  words: number,
  fn: string,
): Int32Array {
  const { labelIds, labelNames } = input;
  if (!(labelIds instanceof Int32Array || Array.isArray(labelIds)))
    throw new InvalidArgumentError(
      'input.labelIds',
      fn,
      `must be an Int32Array or an array of label ids, but got ${kindOf(labelIds)}.`,
    );
  checkLength(labelIds, 'input.labelIds', fn, words);
  if (!Array.isArray(labelNames) || !labelNames.every((name) => typeof name === 'string'))
    throw new InvalidArgumentError('input.labelNames', fn, 'must be an array of label names (strings).');
  // Names are matched once; every word then takes its id from this table.
  const toTask = labelNames.map((name) =>
    inventory.indexOf(task === 'deprel' ? stripDeprelSubtype(name) : name),
  );
  return Int32Array.from(labelIds, (id, w) => {
    if (!Number.isInteger(id) || id < -1 || id >= toTask.length) {
      throw new InvalidArgumentError(
        'input.labelIds',
        fn,
        `must hold ids in [-1, ${toTask.length}) (indices into 'input.labelNames'), but entry ${w} is ${id}.`,
      );
    }
    return id === -1 || (heads !== undefined && heads[w] < 0) ? -1 : toTask[id];
  });
}

/**
 * {@link buildInstances} over one representation-store entry as `@xling/extract` writes it
 * (`store.read(key)`), with the words' label ids given directly: the word vectors, sentence
 * lengths and (for `deprel`) root vectors and heads come from the tensors, the labels from
 * `labelIds` and `labelNames`. Words with id -1 or an unknown head are dropped. Keeps float32
 * vectors float32; `wordIds` (one per stored word) become the output's `wordIds`.
 *
 * @throws XLING_INVALID_ARGUMENT for a missing tensor or dtype, label ids out of range, or
 * `wordIds` that is not an Int32Array; XLING_SHAPE_MISMATCH for inconsistent lengths
 * @example
 * const tensors = await store.read(key);
 * buildInstancesFromTensors(
 *   { tensors, labelIds: tensors.deprel.data as Int32Array, labelNames: DEPREL_LABELS },
 *   { task: 'deprel', fitSplit: 'dev', language: 'de' },
 * );
 */
export function buildInstancesFromTensors(
  input: InstanceTensors,
  options: BuildInstancesOptions,
): InstanceSet {
  const fn = 'buildInstancesFromTensors';
  const checked = checkBuildOptions(options, fn);
  if (
    typeof input !== 'object' ||
    input === null ||
    typeof input.tensors !== 'object' ||
    input.tensors === null
  )
    throw new InvalidArgumentError(
      'input',
      fn,
      "must be an object with 'tensors', 'labelIds' and 'labelNames'.",
    );
  const { tensors, wordIds } = input;
  const wordVectors = vectors(tensors, 'words', fn);
  if (wordIds !== undefined) {
    if (!(wordIds instanceof Int32Array)) {
      throw new InvalidArgumentError(
        'input.wordIds',
        fn,
        `must be an Int32Array of word-form ids, but got ${Array.isArray(wordIds) ? 'an array' : kindOf(wordIds)}.`,
      );
    }
    checkLength(wordIds, 'input.wordIds', fn, wordVectors.rows);
  }
  const sentenceLengths = ints(tensors, 'word_counts', fn);
  const deprel = checked.task === 'deprel';
  const heads = deprel ? ints(tensors, 'head', fn, wordVectors.rows) : undefined;
  return assembleInstances(
    {
      wordVectors,
      ...(deprel ? { rootVectors: vectors(tensors, 'root', fn) } : {}),
      sentenceLengths,
      labelIds: taskLabelIds(input, checked.inventory, checked.task, heads, wordVectors.rows, fn),
      heads: heads ?? [],
      headArgument: (s, i) => `input.tensors.head[${rowOf(sentenceLengths, s, i)}]`,
      ...(wordIds !== undefined ? { wordIds } : {}),
    },
    checked,
    fn,
  );
}

/** Row of word `i` of sentence `s` in the entry. */
function rowOf(sentenceLengths: Int32Array, s: number, i: number): number {
  let row = i;
  for (let t = 0; t < s; t++) row += sentenceLengths[t];
  return row;
}
