import { depsColumn, enhancedId, enhancedNodes } from '../enhanced-deps.js';
import type { RuleDefinition } from '../rule.js';
import { emptyNodeId } from '../sentence-helpers.js';

/** Every head in DEPS must be 0, a word or an empty node of the same sentence (UD's `unknown-ehead`). */
export const depsHeadsRule: RuleDefinition = {
  id: 'deps-heads',
  severity: 'error',
  level: 2,
  summary: 'Every head in DEPS must be 0 or the id of a word or empty node of the same sentence.',
  check(sentence, context) {
    const nodes = enhancedNodes(sentence);
    if (nodes.length === 0) return;
    const emptyIds =
      sentence.emptyNodes.length === 0 ? undefined : new Set(sentence.emptyNodes.map(emptyNodeId));
    const n = sentence.words.length;
    for (const node of nodes) {
      for (const arc of node.arcs) {
        const exists = arc.minor === 0 ? arc.major <= n : emptyIds?.has(arc.head) === true;
        if (exists) continue;
        context.report(
          depsHeadsRule,
          node.line,
          depsColumn(node),
          `DEPS of ${enhancedId(node)} names head ${arc.head}, which is not in the sentence.`,
          arc.head,
        );
      }
    }
  },
};
