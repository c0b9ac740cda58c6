/** A node of a {@link LabelTrie}: the token that leads to it and the labels that end here. */
export interface LabelTrieNode {
  /** Token id on the edge into this node (-1 at the root). */
  token: number;
  /** Tokens from the root to this node (its depth is `path.length`). */
  path: readonly number[];
  /** Indices of the labels whose token sequence ends here. */
  labels: number[];
  children: Map<number, LabelTrieNode>;
}

/** Prefix tree of the labels' token sequences: labels sharing first tokens share their passes. */
export interface LabelTrie {
  root: LabelTrieNode;
  /** Label index → its token sequence. */
  sequences: readonly (readonly number[])[];
}

/**
 * Builds the trie of `sequences` (label index → token ids, each non-empty). A label whose tokens
 * are a prefix of another's (deprel `cc` and `ccomp` in some tokenizers) ends at an inner node:
 * it is scored on its own tokens only, the ambiguity the paper accepts (see README).
 *
 * @example
 * const trie = buildLabelTrie([[5, 9], [5, 7], [4]]);
 * trie.root.children.get(5)?.children.size; // 2
 */
export function buildLabelTrie(sequences: readonly (readonly number[])[]): LabelTrie {
  const root: LabelTrieNode = { token: -1, path: [], labels: [], children: new Map() };
  sequences.forEach((sequence, label) => {
    let node = root;
    for (const token of sequence) {
      let child = node.children.get(token);
      if (child === undefined) {
        child = { token, path: [...node.path, token], labels: [], children: new Map() };
        node.children.set(token, child);
      }
      node = child;
    }
    node.labels.push(label);
  });
  return { root, sequences };
}
