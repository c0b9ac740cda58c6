import { describe, expect, it } from 'vitest';
import { buildLabelTrie } from './label-trie.js';

describe('buildLabelTrie(sequences)', () => {
  it('shares first tokens and ends each label at its last token', () => {
    const trie = buildLabelTrie([[5, 9], [5, 7], [4], [5, 9, 2]]);
    expect([...trie.root.children.keys()]).toEqual([5, 4]);
    const five = trie.root.children.get(5)!;
    expect(five.labels).toEqual([]);
    expect([...five.children.keys()]).toEqual([9, 7]);
    expect(five.children.get(9)!).toMatchObject({ path: [5, 9], labels: [0] });
    expect(five.children.get(7)!).toMatchObject({ path: [5, 7], labels: [1], children: new Map() });
    expect(trie.root.children.get(4)!.labels).toEqual([2]);
    // Label 0 is a token prefix of label 3: it ends at an inner node.
    expect(five.children.get(9)!.children.get(2)!.labels).toEqual([3]);
  });

  it('puts labels with the same tokens on one node, in label order', () => {
    const trie = buildLabelTrie([[3], [1, 2], [3]]);
    expect(trie.root.children.get(3)!.labels).toEqual([0, 2]);
    expect(trie.sequences).toEqual([[3], [1, 2], [3]]);
  });

  it('builds an empty root for no labels', () => {
    expect(buildLabelTrie([]).root.children.size).toBe(0);
  });
});
