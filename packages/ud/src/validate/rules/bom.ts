import type { RuleDefinition } from '../rule.js';

/** The file must not start with a byte order mark (U+FEFF). Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const bomRule: RuleDefinition = {
  id: 'bom',
  severity: 'error',
  level: 1,
  summary: 'The file must not start with a byte order mark (U+FEFF).',
};
