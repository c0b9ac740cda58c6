import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';

/** HEAD must name a word of the same sentence (1..n) or 0 for the root. */
export const headInRangeRule: RuleDefinition = {
  id: 'head-in-range',
  severity: 'error',
  level: 2,
  summary: 'HEAD must be 0 or the id of a word of the same sentence.',
  check(sentence, context) {
    const n = sentence.words.length;
    for (const word of sentence.words) {
      if (word.head !== null && word.head > n) {
        context.report(
          headInRangeRule,
          word.line,
          fieldColumn(word, 6),
          `HEAD ${word.head} of word ${word.id} is out of range: the sentence has ${n} words.`,
          String(word.head),
          `0..${n}`,
        );
      }
    }
  },
};
