import type { RuleDefinition } from '../rule.js';
import { bomRule } from './bom.js';
import { columnCountRule } from './column-count.js';
import { commentInSentenceRule } from './comment-in-sentence.js';
import { crlfLineEndRule } from './crlf-line-end.js';
import { deprelKnownRule } from './deprel-known.js';
import { depsAllOrNoneRule } from './deps-all-or-none.js';
import { depsFormatRule } from './deps-format.js';
import { depsHeadsRule } from './deps-heads.js';
import { depsOrderRule } from './deps-order.js';
import { depsRelationRule } from './deps-relation.js';
import { depsRootRule } from './deps-root.js';
import { depsSelfLoopRule } from './deps-self-loop.js';
import { duplicateSentIdRule } from './duplicate-sent-id.js';
import { emptyColumnRule } from './empty-column.js';
import { emptyNodeColumnsRule } from './empty-node-columns.js';
import { emptyNodeIdRule } from './empty-node-id.js';
import { emptySentenceRule } from './empty-sentence.js';
import { extraBlankLineRule } from './extra-blank-line.js';
import { featsFormatRule } from './feats-format.js';
import { fieldWhitespaceRule } from './field-whitespace.js';
import { finalBlankLineRule } from './final-blank-line.js';
import { headCycleRule } from './head-cycle.js';
import { headFormatRule } from './head-format.js';
import { headInRangeRule } from './head-in-range.js';
import { headSelfLoopRule } from './head-self-loop.js';
import { idFormatRule } from './id-format.js';
import { internalWhitespaceRule } from './internal-whitespace.js';
import { invalidUtf8Rule } from './invalid-utf8.js';
import { miscRepeatedRule } from './misc-repeated.js';
import { missingBlankLineRule } from './missing-blank-line.js';
import { multipleRootsRule } from './multiple-roots.js';
import { multiwordColumnsRule } from './multiword-columns.js';
import { multiwordRangeRule } from './multiword-range.js';
import { newdocNewparRule } from './newdoc-newpar.js';
import { noRootRule } from './no-root.js';
import { parallelIdRule } from './parallel-id.js';
import { repeatedWhitespaceRule } from './repeated-whitespace.js';
import { rootDeprelRule } from './root-deprel.js';
import { sentIdFormatRule } from './sent-id-format.js';
import { sentenceTextRule } from './sentence-text.js';
import { spaceAfterRule } from './space-after.js';
import { textMismatchRule } from './text-mismatch.js';
import { unicodeNfcRule } from './unicode-nfc.js';
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
  internalWhitespaceRule,
  invalidUtf8Rule,
  missingBlankLineRule,
  repeatedWhitespaceRule,
  unicodeNfcRule,
  wordIdSequenceRule,
};

/** Rules with a sentence-level `check` that the reader runs too, in the order it runs them. */
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
  depsHeadsRule,
  depsOrderRule,
  depsSelfLoopRule,
  depsRelationRule,
  depsRootRule,
  multiwordRangeRule,
  multiwordColumnsRule,
  emptyNodeIdRule,
  emptyNodeColumnsRule,
  duplicateSentIdRule,
];

/** Sentence-level UD conventions only the validator checks (see `RuleDefinition.validatorOnly`). */
export const VALIDATOR_ONLY_RULES: readonly RuleDefinition[] = [
  sentIdFormatRule,
  parallelIdRule,
  sentenceTextRule,
  spaceAfterRule,
  miscRepeatedRule,
  newdocNewparRule,
  depsAllOrNoneRule,
];

/** Warning rules, run only when warnings are asked for (they cost time and never skip a sentence). */
export const SENTENCE_WARNING_RULES: readonly RuleDefinition[] = [textMismatchRule];

/** Every rule, line-level ones first, in documentation order. */
export const ALL_RULES: readonly RuleDefinition[] = [
  bomRule,
  invalidUtf8Rule,
  unicodeNfcRule,
  crlfLineEndRule,
  finalBlankLineRule,
  extraBlankLineRule,
  emptySentenceRule,
  commentInSentenceRule,
  missingBlankLineRule,
  columnCountRule,
  emptyColumnRule,
  fieldWhitespaceRule,
  internalWhitespaceRule,
  repeatedWhitespaceRule,
  idFormatRule,
  wordIdSequenceRule,
  headFormatRule,
  ...SENTENCE_ERROR_RULES,
  ...VALIDATOR_ONLY_RULES,
  ...SENTENCE_WARNING_RULES,
];
