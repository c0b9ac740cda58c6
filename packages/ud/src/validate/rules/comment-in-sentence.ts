import type { RuleDefinition } from '../rule.js';

/** Comment lines must come before the first word line of a sentence. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const commentInSentenceRule: RuleDefinition = {
  id: 'comment-in-sentence',
  severity: 'error',
  level: 1,
  summary: 'Comment lines must come before the first word line of a sentence.',
};
