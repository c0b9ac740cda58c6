import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';

/**
 * Exactly one word attaches to the virtual root 0, as the official UD validator requires;
 * each word after the first with HEAD 0 is reported.
 */
export const multipleRootsRule: RuleDefinition = {
  id: 'multiple-roots',
  severity: 'error',
  level: 2,
  summary: 'Only one word of a sentence may have HEAD 0.',
  check(sentence, context) {
    let first = 0;
    for (const word of sentence.words) {
      if (word.head !== 0) continue;
      if (first === 0) {
        first = word.id;
        continue;
      }
      context.report(
        multipleRootsRule,
        word.line,
        fieldColumn(word, 6),
        `Word ${word.id} has HEAD 0, but word ${first} is already the root.`,
      );
    }
  },
};
