import type { RuleDefinition } from '../rule.js';

/** The file must end with a newline and a blank line after the last sentence. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const finalBlankLineRule: RuleDefinition = {
  id: 'final-blank-line',
  severity: 'error',
  level: 1,
  summary: 'The file must end with a newline and a blank line after the last sentence.',
};
