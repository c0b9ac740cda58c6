import { DEPREL_LABELS } from '@xling/core';
import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';

const universal = new Set<string>(DEPREL_LABELS);
// Valid labels seen so far; a treebank uses a few dozen, so this stays tiny.
const seen = new Set<string>();

function isLowercaseWord(label: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = label.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/** True when `label` is `universal` or `universal:subtype` with lowercase ASCII parts (UD's level-2 rule). */
export function isValidDeprel(label: string): boolean {
  if (seen.has(label)) return true;
  const colon = label.indexOf(':');
  const base = colon === -1 ? label : label.slice(0, colon);
  const ok = universal.has(base) && (colon === -1 || isLowercaseWord(label, colon + 1, label.length));
  if (ok && seen.size < 10_000) seen.add(label);
  return ok;
}

/**
 * DEPREL must be one of the 37 universal relations, optionally with one lowercase subtype
 * (`nmod:poss`); `_` only where HEAD is `_` too.
 */
export const deprelKnownRule: RuleDefinition = {
  id: 'deprel-known',
  severity: 'error',
  level: 2,
  summary: 'DEPREL must be one of the 37 universal relations, optionally with one lowercase subtype.',
  check(sentence, context) {
    for (const word of sentence.words) {
      if ((word.head === null && word.deprel === '_') || word.deprel === '') continue;
      if (isValidDeprel(word.deprel)) continue;
      context.report(
        deprelKnownRule,
        word.line,
        fieldColumn(word, 7),
        `Unknown or malformed DEPREL '${word.deprel}' of word ${word.id}.`,
        word.deprel,
        'universal[:subtype]',
      );
    }
  },
};
