import type { RuleDefinition } from '../rule.js';

/** Sentences are separated by exactly one blank line; no blank line may start the file. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const extraBlankLineRule: RuleDefinition = {
  id: 'extra-blank-line',
  severity: 'error',
  level: 1,
  summary: 'Sentences are separated by exactly one blank line; no blank line may start the file.',
};
