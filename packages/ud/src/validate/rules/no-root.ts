import type { RuleDefinition } from '../rule.js';
import { hasTree } from '../sentence-helpers.js';

/** Exactly one word attaches to the virtual root 0 (as the UD validator requires); here: none does. */
export const noRootRule: RuleDefinition = {
  id: 'no-root',
  severity: 'error',
  level: 2,
  summary: 'A sentence must have a word with HEAD 0.',
  check(sentence, context) {
    if (sentence.words.length === 0 || !hasTree(sentence)) return;
    for (const word of sentence.words) if (word.head === 0) return;
    context.report(
      noRootRule,
      sentence.words[0].line,
      1,
      'No word has HEAD 0: the sentence has no root.',
      '0',
      '1',
    );
  },
};
