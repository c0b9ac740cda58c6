import type { RuleDefinition } from '../rule.js';

/** Column 1 must be a word id (1, 2, ...), a range (3-4) or an empty node id (5.1), without leading zeros. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const idFormatRule: RuleDefinition = {
  id: 'id-format',
  severity: 'error',
  level: 1,
  summary:
    'Column 1 must be a word id (1, 2, ...), a range (3-4) or an empty node id (5.1), without leading zeros.',
};
