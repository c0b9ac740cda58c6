import type { RuleDefinition } from '../rule.js';

/** A word, range or empty-node line must have exactly 10 tab-separated columns. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const columnCountRule: RuleDefinition = {
  id: 'column-count',
  severity: 'error',
  level: 1,
  summary: 'A word, range or empty-node line must have exactly 10 tab-separated columns.',
};
