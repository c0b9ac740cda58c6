import type { RuleDefinition } from '../rule.js';

/** Lines must end with LF, not CR LF. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const crlfLineEndRule: RuleDefinition = {
  id: 'crlf-line-end',
  severity: 'error',
  level: 1,
  summary: 'Lines must end with LF, not CR LF.',
};
