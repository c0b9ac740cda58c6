import type { RuleDefinition } from '../rule.js';

/** Word ids must run 1, 2, 3, ... in order within a sentence. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const wordIdSequenceRule: RuleDefinition = {
  id: 'word-id-sequence',
  severity: 'error',
  level: 1,
  summary: 'Word ids must run 1, 2, 3, ... in order within a sentence.',
};
