import type { RuleDefinition } from '../rule.js';

/** A word with id 1 after other words means a blank line between two sentences is missing. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const missingBlankLineRule: RuleDefinition = {
  id: 'missing-blank-line',
  severity: 'error',
  level: 1,
  summary: 'A word with id 1 after other words means a blank line between two sentences is missing.',
};
