import { InvalidArgumentError, type MatrixLike, stripDeprelSubtype } from '@xling/core';
import { wordFormId } from '../baselines/word-form-id.js';
import { asMatrixView } from '../internal/as-matrix-view.js';
import { assembleInstances, checkBuildOptions } from './assemble-instances.js';
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
  const fn = 'buildInstances';
  const checked = checkBuildOptions(options, fn);
  const sentences = input?.sentences;
  if (!Array.isArray(sentences)) {
    throw new InvalidArgumentError(
      'input.sentences',
      fn,
      `must be an array of sentences, but got ${typeof sentences}.`,
    );
  }
  const words = sentences.flatMap((s) => s.words);
  const inventory = checked.inventory;
  const labelIds = Int32Array.from(words, (w) =>
    inventory.indexOf(checked.task === 'upos' ? w.upos : stripDeprelSubtype(w.deprel)),
  );
  // Vacuous truth does not count: a set with no words gets no wordIds, as before forms existed.
  const wordIds =
    words.length > 0 && words.every((w) => typeof w.form === 'string')
      ? Int32Array.from(words, (w) => wordFormId(w.form as string))
      : undefined;
  return assembleInstances(
    {
      wordVectors: asMatrixView(input.wordVectors, 'input.wordVectors', fn),
      ...(checked.task === 'deprel' && input.rootVectors !== undefined
        ? { rootVectors: asMatrixView(input.rootVectors, 'input.rootVectors', fn) }
        : {}),
      sentenceLengths: sentences.map((s) => s.words.length),
      labelIds,
      heads: words.map((w) => w.head),
      headArgument: (s, i) => `input.sentences[${s}].words[${i}].head`,
      ...(wordIds !== undefined ? { wordIds } : {}),
    },
    checked,
    fn,
  );
}
