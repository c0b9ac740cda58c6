import type { RuleDefinition } from '../rule.js';

/** A sentence must have at least one word line with an integer ID (comments, empty nodes and ranges alone are not a sentence). Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const emptySentenceRule: RuleDefinition = {
  id: 'empty-sentence',
  severity: 'error',
  level: 1,
  summary: 'A sentence must have at least one word (a line with an integer ID).',
};
