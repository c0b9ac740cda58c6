import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';

/** A word must not be its own head. */
export const headSelfLoopRule: RuleDefinition = {
  id: 'head-self-loop',
  severity: 'error',
  level: 2,
  summary: 'A word must not be its own head.',
  check(sentence, context) {
    for (const word of sentence.words) {
      if (word.head === word.id) {
        context.report(headSelfLoopRule, word.line, fieldColumn(word, 6), `Word ${word.id} is its own head.`);
      }
    }
  },
};
