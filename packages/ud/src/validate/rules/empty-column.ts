import type { RuleDefinition } from '../rule.js';

/** No column may be empty; an unset value is written as an underscore. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const emptyColumnRule: RuleDefinition = {
  id: 'empty-column',
  severity: 'error',
  level: 1,
  summary: 'No column may be empty; an unset value is written as an underscore.',
};
