import { depsColumn, enhancedId, enhancedNodes } from '../enhanced-deps.js';
import type { RuleDefinition } from '../rule.js';

/** A word or empty node must not be its own head in DEPS (longer enhanced cycles are allowed). */
export const depsSelfLoopRule: RuleDefinition = {
  id: 'deps-self-loop',
  severity: 'error',
  level: 2,
  summary: 'A word or empty node must not be its own head in DEPS.',
  check(sentence, context) {
    for (const node of enhancedNodes(sentence)) {
      if (!node.arcs.some((arc) => arc.major === node.major && arc.minor === node.minor)) continue;
      context.report(
        depsSelfLoopRule,
        node.line,
        depsColumn(node),
        `DEPS of ${enhancedId(node)} names ${enhancedId(node)} as its own head.`,
        node.deps,
      );
    }
  },
};
