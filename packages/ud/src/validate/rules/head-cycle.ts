import type { RuleDefinition } from '../rule.js';
import { hasTree } from '../sentence-helpers.js';
import { fieldColumn } from '../field-column.js';

// Reused across sentences: 0 = unvisited, 1 = on the current path, 2 = done.
let state = new Uint8Array(256);

/**
 * Heads must not form a cycle (of length 2 or more; self-loops are `head-self-loop`). Each
 * cycle is reported once, at its word with the smallest id.
 */
export const headCycleRule: RuleDefinition = {
  id: 'head-cycle',
  severity: 'error',
  level: 2,
  summary: 'Heads must not form a cycle: every word must reach the root by following heads.',
  check(sentence, context) {
    if (!hasTree(sentence)) return;
    const words = sentence.words;
    const n = words.length;
    if (state.length <= n) state = new Uint8Array(2 * n + 2);
    state.fill(0, 0, n + 1);
    for (let start = 1; start <= n; start++) {
      if (state[start] !== 0) continue;
      let node = start;
      // Walk up until the root, an out-of-range head, a finished node, or a node on this path.
      while (node >= 1 && node <= n && state[node] === 0) {
        state[node] = 1;
        const head = words[node - 1].head as number;
        if (head === node) break;
        node = head;
      }
      if (node >= 1 && node <= n && state[node] === 1 && words[node - 1].head !== node) {
        const cycle = [node];
        let smallest = node;
        for (
          let next = words[node - 1].head as number;
          next !== node;
          next = words[next - 1].head as number
        ) {
          cycle.push(next);
          if (next < smallest) smallest = next;
        }
        const word = words[smallest - 1];
        const from = cycle.indexOf(smallest);
        const ordered = [...cycle.slice(from), ...cycle.slice(0, from), smallest];
        context.report(
          headCycleRule,
          word.line,
          fieldColumn(word, 6),
          `Heads form a cycle: ${ordered.join(' -> ')}.`,
        );
      }
      for (node = start; node >= 1 && node <= n && state[node] === 1; node = words[node - 1].head as number) {
        state[node] = 2;
      }
    }
  },
};
