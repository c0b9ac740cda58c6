import {
  InvalidArgumentError,
  type LabelInventory,
  type Matrix,
  type OptionConstraints,
  ShapeMismatchError,
  checkOptions,
  deprel,
  upos,
} from '@xling/core';
import type { BuildInstancesOptions } from './build-instances.js';
import type { ConceptTask, FitSplit, InstanceSet } from './instance-set.js';

// The shared part of buildInstances and buildInstancesFromTensors: both reduce their input to
// label ids in the task's inventory, then assemble the instances here. Not exported from the package.

const constraints: OptionConstraints = {
  task: { type: 'enum', values: ['upos', 'deprel'] },
  // Arrays have no constraint type: checked below.
  labels: { type: 'string', optional: true },
  fitSplit: { type: 'enum', values: ['train', 'dev', 'test'] },
  language: { type: 'string' },
};

/** Options of a build, checked, with the task's label inventory and the label filter as ids. */
export interface CheckedBuildOptions {
  task: ConceptTask;
  inventory: LabelInventory;
  /** Ids to keep; undefined keeps every label. */
  keep: Set<number> | undefined;
  fitSplit: FitSplit;
  language: string | undefined;
}

/** Validates {@link BuildInstancesOptions} once, before any word is read. */
export function checkBuildOptions(options: BuildInstancesOptions, fn: string): CheckedBuildOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      fn,
      `must be an object with a 'task', but got ${String(options)}.`,
    );
  }
  checkOptions({ ...options, labels: undefined }, constraints, fn);
  const { task, labels, fitSplit = 'train', language } = options;
  if (task !== 'upos' && task !== 'deprel') {
    throw new InvalidArgumentError(
      'options.task',
      fn,
      `must be one of 'upos', 'deprel', but got ${String(task)}.`,
    );
  }
  if (labels !== undefined && !Array.isArray(labels)) {
    throw new InvalidArgumentError(
      'options.labels',
      fn,
      `must be an array of label names, but got ${typeof labels}.`,
    );
  }
  const inventory = task === 'upos' ? upos : deprel;
  const keep = labels === undefined ? undefined : new Set(labels.map((l) => inventory.id(l)));
  return { task, inventory, keep, fitSplit, language };
}

/** Words as label ids in the task's inventory: what both builders reduce their input to. */
export interface IdWords {
  /** One vector per word of all sentences, in order: `words × d`. */
  wordVectors: Matrix;
  /** One vector per sentence (the root's head); needed for `deprel`. */
  rootVectors?: Matrix;
  /** Words per sentence. */
  sentenceLengths: ArrayLike<number>;
  /** Label id of each word in the task's inventory; -1 drops the word. */
  labelIds: Int32Array;
  /** Head of each word (`deprel`): 1-based within its sentence, 0 for the root. */
  heads: ArrayLike<number>;
  /** The argument that names word `i` of sentence `s`'s head, for errors. */
  headArgument: (s: number, i: number) => string;
  /** Word-form id of each word, dropped with its word. */
  wordIds?: Int32Array;
}

/**
 * The instances of words given as label ids (METHOD.md section 2): the word vector for `upos`,
 * head minus dependent for `deprel`. Words with id -1 or outside `options.labels` are dropped.
 */
export function assembleInstances(input: IdWords, options: CheckedBuildOptions, fn: string): InstanceSet {
  const { task, inventory, keep, fitSplit, language } = options;
  const { wordVectors: words, sentenceLengths, labelIds, heads, wordIds } = input;
  let total = 0;
  for (let s = 0; s < sentenceLengths.length; s++) total += sentenceLengths[s];
  if (words.rows !== total) {
    throw new ShapeMismatchError('input.wordVectors', fn, `${total} rows (one per word)`, String(words.rows));
  }
  const roots = task === 'deprel' ? checkRoots(input, sentenceLengths.length, fn) : undefined;
  const d = words.cols;
  // Float32 in, float32 out: a large treebank's vectors are not doubled in memory.
  const data = words.data instanceof Float32Array ? new Float32Array(total * d) : new Float64Array(total * d);
  const ids = new Int32Array(total);
  if (wordIds !== undefined && wordIds.length !== total) {
    throw new ShapeMismatchError('wordIds', fn, `${total} entries (one per word)`, String(wordIds.length));
  }
  // Kept words' ids, compacted like `ids` (labels) so they stay aligned with the rows.
  const keptWordIds = wordIds === undefined ? undefined : new Int32Array(total);
  const offsets = new Int32Array(sentenceLengths.length + 1);
  let row = 0;
  let first = 0;
  for (let s = 0; s < sentenceLengths.length; s++) {
    const length = sentenceLengths[s];
    for (let i = 0; i < length; i++) {
      const id = labelIds[first + i];
      if (id < 0 || (keep !== undefined && !keep.has(id))) continue;
      const out = row * d;
      const dep = (first + i) * d;
      if (task === 'upos') {
        data.set(words.data.subarray(dep, dep + d), out);
      } else {
        const head = heads[first + i];
        if (!Number.isInteger(head) || head < 0 || head > length) {
          throw new InvalidArgumentError(
            input.headArgument(s, i),
            fn,
            `must be an integer in [0, ${length}], but got ${head}.`,
          );
        }
        const hv = head === 0 ? roots!.data : words.data;
        const h = head === 0 ? s * d : (first + head - 1) * d;
        for (let j = 0; j < d; j++) data[out + j] = hv[h + j] - words.data[dep + j];
      }
      ids[row] = id;
      if (keptWordIds !== undefined) keptWordIds[row] = wordIds![first + i];
      row++;
    }
    first += length;
    offsets[s + 1] = row;
  }
  return {
    x: { rows: row, cols: d, data: row === total ? data : data.slice(0, row * d) },
    labels: row === total ? ids : ids.slice(0, row),
    sentenceOffsets: offsets,
    ...(keptWordIds !== undefined
      ? { wordIds: row === total ? keptWordIds : keptWordIds.slice(0, row) }
      : {}),
    numLabels: inventory.size,
    task,
    fitSplit,
    ...(language !== undefined ? { language } : {}),
  };
}

/** The root vectors a deprel build needs: one per sentence, as wide as the word vectors. */
function checkRoots(input: IdWords, sentences: number, fn: string): Matrix {
  const roots = input.rootVectors;
  if (roots === undefined) {
    throw new InvalidArgumentError(
      'input.rootVectors',
      fn,
      "is required for task 'deprel', but got undefined.",
    );
  }
  if (roots.rows !== sentences) {
    throw new ShapeMismatchError(
      'input.rootVectors',
      fn,
      `${sentences} rows (one per sentence)`,
      String(roots.rows),
    );
  }
  if (roots.cols !== input.wordVectors.cols) {
    throw new ShapeMismatchError(
      'input.rootVectors',
      fn,
      `${input.wordVectors.cols} columns like 'wordVectors'`,
      String(roots.cols),
    );
  }
  return roots;
}
