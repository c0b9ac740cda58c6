import type { RuleDefinition } from '../rule.js';

/** No column may start or end with whitespace. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const fieldWhitespaceRule: RuleDefinition = {
  id: 'field-whitespace',
  severity: 'error',
  level: 1,
  summary: 'No column may start or end with whitespace.',
};
