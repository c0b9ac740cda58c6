import type { RuleDefinition } from '../rule.js';

/** No column may contain two whitespace characters in a row. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const repeatedWhitespaceRule: RuleDefinition = {
  id: 'repeated-whitespace',
  severity: 'error',
  level: 1,
  summary: 'No column may contain two whitespace characters in a row.',
};
