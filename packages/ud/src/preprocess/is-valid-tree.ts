import { checkOptions, type OptionConstraints } from '@xling/core';
import type { Sentence } from '../conllu/types.js';

/** Options of {@link isValidTree}. */
export interface IsValidTreeOptions {
  /**
   * `'any'`: the heads form a tree rooted at the virtual node 0 (METHOD.md's wording; several
   * words may attach to 0). `'single'`: additionally exactly one word has HEAD 0 (the UD rule
   * that the validator enforces).
   * @defaultValue 'any'
   */
  root?: 'any' | 'single';
}

const CONSTRAINTS: OptionConstraints = { root: { type: 'enum', values: ['any', 'single'] } };

/**
 * True when every HEAD is an integer in 0..n and following heads from any word reaches 0
 * (no self-loop, no cycle): the heads form a tree rooted at 0.
 *
 * @param sentence - The sentence to test.
 * @param options - See {@link IsValidTreeOptions}.
 * @returns Whether the sentence is a dependency tree; false for a sentence without words.
 * @throws XLING_INVALID_ARGUMENT for bad options.
 * @example
 * isValidTree(sentence); // true for every sentence the strict reader returns
 */
export function isValidTree(sentence: Sentence, options?: IsValidTreeOptions): boolean {
  checkOptions(options, CONSTRAINTS, 'isValidTree');
  const single = options?.root === 'single';
  const words = sentence.words;
  const n = words.length;
  if (n === 0) return false;
  let roots = 0;
  for (let i = 0; i < n; i++) {
    const head = words[i].head;
    if (words[i].id !== i + 1 || head === null || head < 0 || head > n || head === i + 1) return false;
    if (head === 0) roots++;
  }
  if (roots === 0 || (single && roots > 1)) return false;
  // 0 = unknown, 1 = on the current path, 2 = reaches the root.
  const state = new Uint8Array(n + 1);
  state[0] = 2;
  for (let start = 1; start <= n; start++) {
    let node = start;
    while (state[node] === 0) {
      state[node] = 1;
      node = words[node - 1].head as number;
    }
    if (state[node] === 1) return false;
    for (node = start; state[node] === 1; node = words[node - 1].head as number) state[node] = 2;
  }
  return true;
}
