import { depsColumn, enhancedId, enhancedNodes } from '../enhanced-deps.js';
import type { RuleDefinition } from '../rule.js';

/**
 * DEPS items must be sorted by head (empty node `4.1` after word 4, before word 5), items with
 * the same head by relation, and no item may repeat.
 */
export const depsOrderRule: RuleDefinition = {
  id: 'deps-order',
  severity: 'error',
  level: 2,
  summary: 'DEPS must be sorted by head, then by relation, without repeated items.',
  check(sentence, context) {
    for (const node of enhancedNodes(sentence)) {
      const { arcs } = node;
      for (let i = 1; i < arcs.length; i++) {
        const a = arcs[i - 1];
        const b = arcs[i];
        const byHead = a.major - b.major || a.minor - b.minor;
        let problem: string | undefined;
        if (byHead > 0) problem = `head ${b.head} comes after head ${a.head}`;
        else if (byHead === 0 && b.relation < a.relation)
          problem = `relations of head ${a.head} are not sorted ('${b.relation}' after '${a.relation}')`;
        else if (byHead === 0 && b.relation === a.relation)
          problem = `'${a.head}:${a.relation}' appears twice`;
        if (problem === undefined) continue;
        context.report(
          depsOrderRule,
          node.line,
          depsColumn(node),
          `Bad DEPS order of ${enhancedId(node)}: ${problem}.`,
          node.deps,
        );
        break;
      }
    }
  },
};
