import { stripDeprelSubtype } from '@xling/core';
import type { Sentence } from '../conllu/types.js';

/**
 * Replaces each DEPREL by its universal part (`nmod:poss` -> `nmod`), as METHOD.md section 1
 * prescribes before labels are mapped to the 37 ids.
 *
 * @param sentence - Not modified.
 * @returns The same sentence object when no label has a subtype, else a copy with new words.
 * @example
 * stripDeprelSubtypes(sentence).words.map((w) => w.deprel); // ['nsubj', 'root', 'obl']
 */
export function stripDeprelSubtypes(sentence: Sentence): Sentence {
  if (!sentence.words.some((word) => word.deprel.includes(':'))) return sentence;
  return {
    ...sentence,
    words: sentence.words.map((word) =>
      word.deprel.includes(':') ? { ...word, deprel: stripDeprelSubtype(word.deprel) } : word,
    ),
  };
}
