import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';
import { universalPart } from '../sentence-helpers.js';

/** DEPREL is `root` (possibly with a subtype) exactly when HEAD is 0. */
export const rootDeprelRule: RuleDefinition = {
  id: 'root-deprel',
  severity: 'error',
  level: 2,
  summary: 'DEPREL must be root exactly for the word with HEAD 0.',
  check(sentence, context) {
    for (const word of sentence.words) {
      if (word.head === null || word.deprel === '_') continue;
      const isRoot = universalPart(word.deprel) === 'root';
      if (word.head === 0 && !isRoot) {
        context.report(
          rootDeprelRule,
          word.line,
          fieldColumn(word, 7),
          `Word ${word.id} has HEAD 0 but DEPREL '${word.deprel}'.`,
          word.deprel,
          'root',
        );
      } else if (word.head !== 0 && isRoot) {
        context.report(
          rootDeprelRule,
          word.line,
          fieldColumn(word, 7),
          `Word ${word.id} has DEPREL 'root' but HEAD ${word.head}.`,
          String(word.head),
          '0',
        );
      }
    }
  },
};
