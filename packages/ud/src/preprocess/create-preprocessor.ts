import { checkOptions, InvalidArgumentError, type OptionConstraints } from '@xling/core';
import type { Sentence } from '../conllu/types.js';
import { dropEmptyNodes } from './drop-empty-nodes.js';
import { isValidTree } from './is-valid-tree.js';
import { mergeMultiwordTokens } from './merge-multiword-tokens.js';
import { emptyReport, type PreprocessReport } from './preprocess-report.js';
import { stripDeprelSubtypes } from './strip-deprel-subtypes.js';

/**
 * The pre-processing steps of METHOD.md section 1, each switchable; defaults reproduce the
 * reference. Steps run in this order: comments, empty nodes, multiword tokens, deprel subtypes,
 * length filter, tree filter.
 */
export interface PreprocessOptions {
  /** Drop comment lines (`metadata` is kept). @defaultValue true */
  dropComments?: boolean;
  /** Drop empty nodes (`8.1`). @defaultValue true */
  dropEmptyNodes?: boolean;
  /** Merge multiword tokens into one word by METHOD.md's head rule, then re-index. @defaultValue true */
  mergeMultiwordTokens?: boolean;
  /** Strip deprel subtypes (`nmod:poss` -> `nmod`). @defaultValue true */
  stripDeprelSubtypes?: boolean;
  /** Drop sentences with more words than this (after merging); `Infinity` keeps all. @defaultValue 128 */
  maxWords?: number;
  /**
   * Drop sentences whose heads do not form a tree rooted at 0: `'any-root'` (METHOD.md's
   * wording), `'single-root'` (also exactly one word with HEAD 0, the UD rule), `'off'`.
   * @defaultValue 'any-root'
   */
  validTree?: 'any-root' | 'single-root' | 'off';
}

const CONSTRAINTS: OptionConstraints = {
  dropComments: { type: 'boolean' },
  dropEmptyNodes: { type: 'boolean' },
  mergeMultiwordTokens: { type: 'boolean' },
  stripDeprelSubtypes: { type: 'boolean' },
  maxWords: { type: 'number', min: 1, optional: true },
  validTree: { type: 'enum', values: ['any-root', 'single-root', 'off'] },
};

/** A streaming pre-processor: `apply` returns the processed sentence or null when it is dropped. */
export interface Preprocessor {
  apply(sentence: Sentence): Sentence | null;
  /** Counts so far (live object). */
  readonly report: PreprocessReport;
}

/**
 * Builds a streaming pre-processor for sentences one at a time (for example straight from
 * {@link readConllu}), counting what each step changes in `report`.
 *
 * @param options - See {@link PreprocessOptions}.
 * @returns `{ apply, report }`.
 * @throws XLING_INVALID_ARGUMENT for bad options (`maxWords` must be an integer >= 1 or Infinity).
 * @example
 * const pre = createPreprocessor({ maxWords: 64 });
 * for await (const s of readConllu(path)) { const t = pre.apply(s); if (t) use(t); }
 * console.log(pre.report.maxWords.sentencesRemoved);
 */
export function createPreprocessor(options?: PreprocessOptions): Preprocessor {
  const { maxWords: rawMaxWords, ...rest } = options ?? {};
  checkOptions(rest, CONSTRAINTS, 'createPreprocessor');
  if (
    rawMaxWords !== undefined &&
    rawMaxWords !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(rawMaxWords) && rawMaxWords >= 1)
  ) {
    throw new InvalidArgumentError(
      'options.maxWords',
      'createPreprocessor',
      `must be an integer >= 1 or Infinity, but got ${String(rawMaxWords)}.`,
    );
  }
  const {
    dropComments = true,
    dropEmptyNodes: dropNodes = true,
    mergeMultiwordTokens: merge = true,
    stripDeprelSubtypes: strip = true,
    validTree = 'any-root',
  } = rest;
  const maxWords = rawMaxWords ?? 128;
  const treeOptions = { root: validTree === 'single-root' ? ('single' as const) : ('any' as const) };
  const report = emptyReport();

  function apply(input: Sentence): Sentence | null {
    let sentence = input;
    report.sentencesIn++;
    report.wordsIn += sentence.words.length;
    if (dropComments && sentence.comments.length > 0) {
      report.comments.sentencesChanged++;
      report.comments.linesRemoved += sentence.comments.length;
      sentence = { ...sentence, comments: [] };
    }
    if (dropNodes && sentence.emptyNodes.length > 0) {
      report.emptyNodes.sentencesChanged++;
      report.emptyNodes.nodesRemoved += sentence.emptyNodes.length;
      sentence = dropEmptyNodes(sentence);
    }
    if (merge && sentence.tokens.length > 0) {
      const before = sentence.words.length;
      const tokens = sentence.tokens.length;
      sentence = mergeMultiwordTokens(sentence);
      report.multiwordTokens.sentencesChanged++;
      report.multiwordTokens.tokensMerged += tokens;
      report.multiwordTokens.wordsRemoved += before - sentence.words.length;
    }
    if (strip) {
      const stripped = stripDeprelSubtypes(sentence);
      if (stripped !== sentence) {
        report.deprelSubtypes.sentencesChanged++;
        for (let i = 0; i < stripped.words.length; i++) {
          if (stripped.words[i] !== sentence.words[i]) report.deprelSubtypes.wordsChanged++;
        }
        sentence = stripped;
      }
    }
    if (sentence.words.length > maxWords) {
      report.maxWords.sentencesRemoved++;
      report.maxWords.wordsRemoved += sentence.words.length;
      return null;
    }
    if (validTree !== 'off' && !isValidTree(sentence, treeOptions)) {
      report.validTree.sentencesRemoved++;
      report.validTree.wordsRemoved += sentence.words.length;
      return null;
    }
    report.sentencesOut++;
    report.wordsOut += sentence.words.length;
    return sentence;
  }

  return { apply, report };
}
