import type { Sentence } from '../conllu/types.js';

/**
 * Removes the empty nodes (`8.1` lines of enhanced UD), as METHOD.md section 1 prescribes.
 * Words, ranges and the enhanced DEPS of words are left as they are.
 *
 * @param sentence - Not modified.
 * @returns The same sentence object when it has no empty nodes, else a shallow copy without them.
 * @example
 * dropEmptyNodes(sentence).emptyNodes; // []
 */
export function dropEmptyNodes(sentence: Sentence): Sentence {
  if (sentence.emptyNodes.length === 0) return sentence;
  return { ...sentence, emptyNodes: [] };
}
