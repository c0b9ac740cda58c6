import type { RuleDefinition } from '../rule.js';

/** HEAD must be a non-negative integer; an underscore only where every word of the sentence has HEAD and DEPREL unset. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const headFormatRule: RuleDefinition = {
  id: 'head-format',
  severity: 'error',
  level: 2,
  summary:
    'HEAD must be a non-negative integer; an underscore only where every word of the sentence has HEAD and DEPREL unset.',
};
