import { UPOS_LABELS } from '@xling/core';
import { columnOf, fieldColumn } from '../field-column.js';
import type { RuleDefinition } from '../rule.js';
import { emptyNodeId, hasTree } from '../sentence-helpers.js';

const known = new Set<string>(UPOS_LABELS);

/**
 * UPOS must be one of the 17 universal tags; `_` only in a sentence without heads, or on an
 * empty node.
 */
export const uposKnownRule: RuleDefinition = {
  id: 'upos-known',
  severity: 'error',
  level: 2,
  summary:
    'UPOS must be one of the 17 universal POS tags (an underscore only on empty nodes and unannotated sentences).',
  check(sentence, context) {
    const report = (upos: string, what: string, line: number, column: number) =>
      context.report(
        uposKnownRule,
        line,
        column,
        `Unknown UPOS '${upos}' of ${what}.`,
        upos,
        UPOS_LABELS.join(' '),
      );
    let annotated: boolean | undefined;
    for (const word of sentence.words) {
      // An empty column is reported by empty-column.
      if (known.has(word.upos) || word.upos === '') continue;
      if (word.upos === '_') {
        annotated ??= hasTree(sentence);
        if (!annotated) continue;
      }
      report(word.upos, `word ${word.id}`, word.line, fieldColumn(word, 3));
    }
    for (const node of sentence.emptyNodes) {
      const upos = node.columns[2];
      if (known.has(upos) || upos === '_' || upos === '') continue;
      const id = emptyNodeId(node);
      report(upos, `empty node ${id}`, node.line, columnOf([id, ...node.columns], 3));
    }
  },
};
