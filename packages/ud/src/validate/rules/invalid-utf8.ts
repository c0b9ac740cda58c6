import type { RuleDefinition } from '../rule.js';

/** The file must be valid UTF-8. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const invalidUtf8Rule: RuleDefinition = {
  id: 'invalid-utf8',
  severity: 'error',
  level: 1,
  summary: 'The file must be valid UTF-8.',
};
