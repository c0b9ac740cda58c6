import type { Sentence } from '../conllu/types.js';

/**
 * True when every word has a HEAD. Tree rules only run on such sentences; a sentence where
 * every HEAD is `_` is unannotated (allowed), a mix is reported by `head-format`.
 */
export function hasTree(sentence: Sentence): boolean {
  const words = sentence.words;
  for (let i = 0; i < words.length; i++) if (words[i].head === null) return false;
  return true;
}

/** The universal part of a deprel: `nmod:poss` -> `nmod`. */
export function universalPart(label: string): string {
  const colon = label.indexOf(':');
  return colon === -1 ? label : label.slice(0, colon);
}
