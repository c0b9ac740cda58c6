import type { Matrix } from '@xling/core';

/** The two structural-concept tasks of METHOD.md: word classes and grammatical relations. */
export type ConceptTask = 'upos' | 'deprel';

/** Which split the instances come from: `dev` stands in for `train` where a language has none. */
export type FitSplit = 'train' | 'dev' | 'test';

/**
 * Labelled token instances grouped by sentence: the input of probes, episodes and meta-learners.
 * Row `r` of `x` has label id `labels[r]`; sentence `s` owns rows
 * `sentenceOffsets[s] .. sentenceOffsets[s + 1] - 1`.
 */
export interface InstanceSet {
  /** Instance vectors, shape `instances × d`. */
  readonly x: Matrix;
  /** Label id of each row (index in the task's inventory). */
  readonly labels: Int32Array;
  /** Sentence boundaries, length `sentences + 1`, from 0 to `x.rows`; without it every row is its own sentence. */
  readonly sentenceOffsets?: Int32Array;
  /**
   * Id of the word form (word type) of each row, length `x.rows`: `wordFormId(form)`, a stable
   * hash of the NFC-normalised form, comparable across sets and languages. For deprel rows it is
   * the dependent's form. Needed by word-type baselines and control tasks (`WordLookupTagger`,
   * `createControlTask`); absent when the forms are unknown.
   */
  readonly wordIds?: Int32Array;
  /** Size of the label inventory (17 for UPOS, 37 for deprel). */
  readonly numLabels: number;
  /** The task, when known. */
  readonly task?: ConceptTask;
  /** The split the instances come from, carried through to every output. */
  readonly fitSplit?: FitSplit;
  /** Language code, when known. */
  readonly language?: string;
}
