import type { RuleDefinition } from '../rule.js';

/** A sentence must have at least one word line. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const emptySentenceRule: RuleDefinition = {
  id: 'empty-sentence',
  severity: 'error',
  summary: 'A sentence must have at least one word line.',
};
