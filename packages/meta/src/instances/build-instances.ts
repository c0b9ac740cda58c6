import {
  InvalidArgumentError,
  type Matrix,
  type MatrixLike,
  ShapeMismatchError,
  checkOptions,
  type OptionConstraints,
  deprel,
  stripDeprelSubtype,
  upos,
} from '@xling/core';
import { wordFormId } from '../baselines/word-form-id.js';
import { asMatrixView } from '../internal/as-matrix-view.js';
import type { ConceptTask, FitSplit, InstanceSet } from './instance-set.js';

/** A word as {@link buildInstances} reads it (the fields of a CoNLL-U word it needs). */
export interface InstanceWord {
  /** UPOS tag. */
  upos: string;
  /** 1-based index of the head word in the sentence, 0 for the root. */
  head: number;
  /** Dependency relation, with or without a subtype (`nmod:poss` counts as `nmod`). */
  deprel: string;
  /** Word form (the CoNLL-U FORM column); when every word has one, the output has `wordIds`. */
  form?: string;
}

/** Input of {@link buildInstances}. */
export interface BuildInstancesInput {
  /** Sentences in the order their words appear in `wordVectors`. */
  sentences: ReadonlyArray<{ words: readonly InstanceWord[] }>;
  /** One vector per word of all sentences, in order: shape `words × d`. */
  wordVectors: MatrixLike;
  /** One vector per sentence standing for the root's head ([CLS] for BERT): shape `sentences × d`. Needed for `deprel`. */
  rootVectors?: MatrixLike;
}

/** Options of {@link buildInstances}. */
export interface BuildInstancesOptions {
  /** The concept task. */
  task: ConceptTask;
  /**
   * Keep only instances whose label is in this list (label names); the others are dropped (their
   * sentence stays, possibly empty).
   * @defaultValue every label of the task's inventory
   */
  labels?: readonly string[];
  /**
   * The split these vectors come from, declared in the output (`dev` where a language has no train split).
   * @defaultValue 'train'
   */
  fitSplit?: FitSplit;
  /** Language code recorded in the output. */
  language?: string;
}

const constraints: OptionConstraints = {
  task: { type: 'enum', values: ['upos', 'deprel'] },
  // Arrays have no constraint type: checked below.
  labels: { type: 'string', optional: true },
  fitSplit: { type: 'enum', values: ['train', 'dev', 'test'] },
  language: { type: 'string' },
};

/**
 * Builds labelled instances for a concept task (METHOD.md section 2). POS: the word vector h_i.
 * Deprel: r_i = h_head(i) - h_i with the gold head; a root's head vector is the sentence's root
 * vector. Labels are ids in `@xling/core`'s `upos` / `deprel` inventories (deprel subtypes
 * stripped); words whose label is not in the inventory (or not in `options.labels`) are dropped.
 * When every word has a `form`, the output has `wordIds` (`wordFormId(form)` of each kept word,
 * the dependent's for deprel), aligned with its rows.
 *
 * @param input - sentences, word vectors (rows = all words in order) and root vectors
 * @param options - task, label filter, declared fit split
 * @returns an {@link InstanceSet} (float32 vectors for float32 word vectors, else float64) with
 * sentence offsets, `fitSplit` and, when every word has a form, `wordIds`
 * @throws XLING_SHAPE_MISMATCH when vector counts do not match the words or sentences
 * @throws XLING_INVALID_ARGUMENT for a head out of range, a missing `rootVectors` for deprel, or bad options
 * @example
 * const set = buildInstances({ sentences, wordVectors, rootVectors }, { task: 'deprel' });
 */
export function buildInstances(input: BuildInstancesInput, options: BuildInstancesOptions): InstanceSet {
  let wordIds: Int32Array | undefined;
  const sentences = input?.sentences;
  // Vacuous truth does not count: a set with no words gets no wordIds, as before forms existed.
  if (
    sentences?.some((s) => s.words.length > 0) &&
    sentences.every((s) => s.words.every((w) => typeof w.form === 'string'))
  ) {
    wordIds = Int32Array.from(sentences.flatMap((s) => s.words.map((w) => wordFormId(w.form as string))));
  }
  return buildInstancesWithWordIds(input, options, wordIds);
}

/**
 * {@link buildInstances} with the word ids given directly (one per word of all sentences, in
 * order; `undefined` for none), dropped with their words. Internal: not exported from the package.
 */
export function buildInstancesWithWordIds(
  input: BuildInstancesInput,
  options: BuildInstancesOptions,
  wordIds: Int32Array | undefined,
): InstanceSet {
  const fn = 'buildInstances';
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
  let keep: Set<number> | undefined;
  if (labels !== undefined) {
    keep = new Set(labels.map((l) => inventory.id(l)));
  }
  const { sentences } = input;
  const words = asMatrixView(input.wordVectors, 'input.wordVectors', fn);
  let total = 0;
  for (const s of sentences) total += s.words.length;
  if (words.rows !== total) {
    throw new ShapeMismatchError('input.wordVectors', fn, `${total} rows (one per word)`, String(words.rows));
  }
  let roots: Matrix | undefined;
  if (task === 'deprel') {
    if (input.rootVectors === undefined) {
      throw new InvalidArgumentError(
        'input.rootVectors',
        fn,
        "is required for task 'deprel', but got undefined.",
      );
    }
    roots = asMatrixView(input.rootVectors, 'input.rootVectors', fn);
    if (roots.rows !== sentences.length) {
      throw new ShapeMismatchError(
        'input.rootVectors',
        fn,
        `${sentences.length} rows (one per sentence)`,
        String(roots.rows),
      );
    }
    if (roots.cols !== words.cols) {
      throw new ShapeMismatchError(
        'input.rootVectors',
        fn,
        `${words.cols} columns like 'wordVectors'`,
        String(roots.cols),
      );
    }
  }
  const d = words.cols;
  // Float32 in, float32 out: a large treebank's vectors are not doubled in memory.
  const data = words.data instanceof Float32Array ? new Float32Array(total * d) : new Float64Array(total * d);
  const ids = new Int32Array(total);
  if (wordIds !== undefined && wordIds.length !== total) {
    throw new ShapeMismatchError('wordIds', fn, `${total} entries (one per word)`, String(wordIds.length));
  }
  // Kept words' ids, compacted like `ids` (labels) so they stay aligned with the rows.
  const keptWordIds = wordIds === undefined ? undefined : new Int32Array(total);
  const offsets = new Int32Array(sentences.length + 1);
  let row = 0;
  let first = 0;
  for (let s = 0; s < sentences.length; s++) {
    const ws = sentences[s].words;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      const name = task === 'upos' ? w.upos : stripDeprelSubtype(w.deprel);
      const id = inventory.indexOf(name);
      if (id < 0 || (keep !== undefined && !keep.has(id))) continue;
      const out = row * d;
      const dep = (first + i) * d;
      if (task === 'upos') {
        data.set(words.data.subarray(dep, dep + d), out);
      } else {
        const head = w.head;
        if (!Number.isInteger(head) || head < 0 || head > ws.length) {
          throw new InvalidArgumentError(
            `input.sentences[${s}].words[${i}].head`,
            fn,
            `must be an integer in [0, ${ws.length}], but got ${head}.`,
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
    first += ws.length;
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
