import type { RuleDefinition } from '../rule.js';
import { bomRule } from './bom.js';
import { columnCountRule } from './column-count.js';
import { commentInSentenceRule } from './comment-in-sentence.js';
import { crlfLineEndRule } from './crlf-line-end.js';
import { deprelKnownRule } from './deprel-known.js';
import { depsFormatRule } from './deps-format.js';
import { duplicateSentIdRule } from './duplicate-sent-id.js';
import { emptyColumnRule } from './empty-column.js';
import { emptyNodeIdRule } from './empty-node-id.js';
import { emptySentenceRule } from './empty-sentence.js';
import { featsFormatRule } from './feats-format.js';
import { extraBlankLineRule } from './extra-blank-line.js';
import { fieldWhitespaceRule } from './field-whitespace.js';
import { finalBlankLineRule } from './final-blank-line.js';
import { headCycleRule } from './head-cycle.js';
import { headFormatRule } from './head-format.js';
import { headInRangeRule } from './head-in-range.js';
import { headSelfLoopRule } from './head-self-loop.js';
import { idFormatRule } from './id-format.js';
import { invalidUtf8Rule } from './invalid-utf8.js';
import { missingBlankLineRule } from './missing-blank-line.js';
import { multipleRootsRule } from './multiple-roots.js';
import { multiwordRangeRule } from './multiword-range.js';
import { noRootRule } from './no-root.js';
import { rootDeprelRule } from './root-deprel.js';
import { textMismatchRule } from './text-mismatch.js';
import { uposKnownRule } from './upos-known.js';
import { wordIdSequenceRule } from './word-id-sequence.js';

export {
  bomRule,
  columnCountRule,
  commentInSentenceRule,
  crlfLineEndRule,
  emptyColumnRule,
  emptySentenceRule,
  extraBlankLineRule,
  fieldWhitespaceRule,
  finalBlankLineRule,
  headFormatRule,
  idFormatRule,
  invalidUtf8Rule,
  missingBlankLineRule,
  wordIdSequenceRule,
};

/** Rules with a sentence-level `check`, in the order the reader runs them (errors first). */
export const SENTENCE_ERROR_RULES: readonly RuleDefinition[] = [
  headInRangeRule,
  headSelfLoopRule,
  headCycleRule,
  noRootRule,
  multipleRootsRule,
  rootDeprelRule,
  uposKnownRule,
  featsFormatRule,
  deprelKnownRule,
  depsFormatRule,
  multiwordRangeRule,
  emptyNodeIdRule,
  duplicateSentIdRule,
];

/** Warning rules, run only when warnings are asked for (they cost time and never skip a sentence). */
export const SENTENCE_WARNING_RULES: readonly RuleDefinition[] = [textMismatchRule];

/** Every rule, line-level ones first, in documentation order. */
export const ALL_RULES: readonly RuleDefinition[] = [
  bomRule,
  invalidUtf8Rule,
  crlfLineEndRule,
  finalBlankLineRule,
  extraBlankLineRule,
  emptySentenceRule,
  commentInSentenceRule,
  missingBlankLineRule,
  columnCountRule,
  emptyColumnRule,
  fieldWhitespaceRule,
  idFormatRule,
  wordIdSequenceRule,
  headFormatRule,
  ...SENTENCE_ERROR_RULES,
  ...SENTENCE_WARNING_RULES,
];
