import type { RuleDefinition } from '../rule.js';

/**
 * Empty node `i.k` must follow word `i` (0 = before word 1) and come before the range line of a
 * multiword token starting at word i+1, with k = 1, 2, ... in order and i <= the number of words.
 */
export const emptyNodeIdRule: RuleDefinition = {
  id: 'empty-node-id',
  severity: 'error',
  level: 1,
  summary:
    'Empty node i.k must follow word i (i <= n) and precede the range line of word i+1, numbered k = 1, 2, ... in order.',
  check(sentence, context) {
    const words = sentence.words;
    const n = words.length;
    let previousMajor = -1;
    let previousMinor = 0;
    for (const node of sentence.emptyNodes) {
      const id = `${node.major}.${node.minor}`;
      const expectedMinor = node.major === previousMajor ? previousMinor + 1 : 1;
      let problem: string | undefined;
      let expected: string | undefined;
      if (node.major > n)
        problem = `empty node ${id} follows a word that does not exist (the sentence has ${n} words)`;
      else if (
        (node.major > 0 && node.line < words[node.major - 1].line) ||
        (node.major < n && node.line > words[node.major].line)
      ) {
        problem = `empty node ${id} must come right after word ${node.major}`;
      } else if (sentence.tokens.some((t) => t.start === node.major + 1 && t.line < node.line)) {
        problem = `empty node ${id} must come before the multiword token of word ${node.major + 1}`;
      } else if (node.minor !== expectedMinor) {
        problem = `empty node ${id} should be numbered ${node.major}.${expectedMinor}`;
        expected = `${node.major}.${expectedMinor}`;
      }
      if (problem !== undefined) {
        context.report(emptyNodeIdRule, node.line, 1, `Bad empty node id: ${problem}.`, id, expected);
      }
      previousMajor = node.major;
      previousMinor = node.minor;
    }
  },
};
