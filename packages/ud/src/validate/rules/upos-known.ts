import { UPOS_LABELS } from '@xling/core';
import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';
import { hasTree } from '../sentence-helpers.js';

const known = new Set<string>(UPOS_LABELS);

/** UPOS must be one of the 17 universal tags (`_` only in a sentence without heads). */
export const uposKnownRule: RuleDefinition = {
  id: 'upos-known',
  severity: 'error',
  summary: 'UPOS must be one of the 17 universal POS tags.',
  check(sentence, context) {
    let annotated: boolean | undefined;
    for (const word of sentence.words) {
      // An empty column is reported by empty-column.
      if (known.has(word.upos) || word.upos === '') continue;
      if (word.upos === '_') {
        annotated ??= hasTree(sentence);
        if (!annotated) continue;
      }
      context.report(
        uposKnownRule,
        word.line,
        fieldColumn(word, 3),
        `Unknown UPOS '${word.upos}' of word ${word.id}.`,
        word.upos,
        UPOS_LABELS.join(' '),
      );
    }
  },
};
