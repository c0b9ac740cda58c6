import type { RuleDefinition } from '../rule.js';

/** Whitespace inside a column is allowed only in FORM and LEMMA of words and empty nodes, and in MISC. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const internalWhitespaceRule: RuleDefinition = {
  id: 'internal-whitespace',
  severity: 'error',
  level: 1,
  summary:
    'Whitespace inside a column is allowed only in FORM and LEMMA of words and empty nodes (not of multiword tokens) and in MISC.',
};
