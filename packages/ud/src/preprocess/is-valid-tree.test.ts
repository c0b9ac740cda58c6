import { describe, expect, it } from 'vitest';
import type { Sentence } from '../conllu/types.js';
import { isValidTree } from './is-valid-tree.js';

const tree = (...heads: Array<number | null>): Sentence => ({
  comments: [],
  metadata: {},
  tokens: [],
  emptyNodes: [],
  line: 1,
  words: heads.map((head, i) => ({
    id: i + 1,
    form: 'w',
    lemma: 'w',
    upos: 'X',
    xpos: '_',
    feats: '_',
    head,
    deprel: 'dep',
    deps: '_',
    misc: '_',
    line: i + 1,
  })),
});

describe('isValidTree(sentence)', () => {
  it('isValidTree(sentence) accepts trees rooted at 0', () => {
    expect(isValidTree(tree(0))).toBe(true);
    expect(isValidTree(tree(2, 0, 2, 3))).toBe(true);
  });

  it('isValidTree(sentence) rejects cycles, self-loops, out-of-range and missing heads, no root, no words', () => {
    expect(isValidTree(tree(2, 0, 4, 3))).toBe(false);
    expect(isValidTree(tree(0, 2))).toBe(false);
    expect(isValidTree(tree(0, 3))).toBe(false);
    expect(isValidTree(tree(0, null))).toBe(false);
    expect(isValidTree(tree(2, 1))).toBe(false);
    expect(isValidTree(tree())).toBe(false);
  });

  it("isValidTree(sentence, { root: 'single' }) also rejects several words on 0", () => {
    expect(isValidTree(tree(0, 0))).toBe(true);
    expect(isValidTree(tree(0, 0), { root: 'single' })).toBe(false);
  });

  it("isValidTree(sentence, { root: 'one' }) throws XLING_INVALID_ARGUMENT", () => {
    expect(() => isValidTree(tree(0), { root: 'one' as 'single' })).toThrow(/options.root/);
  });
});
