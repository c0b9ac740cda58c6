import { depsColumn, enhancedId, enhancedNodes } from '../enhanced-deps.js';
import type { RuleDefinition } from '../rule.js';
import { universalPart } from '../sentence-helpers.js';

/** In DEPS, the relation is `root` (possibly with a subtype) exactly when the head is 0. */
export const depsRootRule: RuleDefinition = {
  id: 'deps-root',
  severity: 'error',
  level: 2,
  summary: 'In DEPS, the relation must be root exactly when the head is 0.',
  check(sentence, context) {
    for (const node of enhancedNodes(sentence)) {
      for (const arc of node.arcs) {
        const isRoot = universalPart(arc.relation) === 'root';
        if (isRoot === (arc.head === '0')) continue;
        context.report(
          depsRootRule,
          node.line,
          depsColumn(node),
          isRoot
            ? `DEPS of ${enhancedId(node)} has relation '${arc.relation}' from head ${arc.head}; root needs head 0.`
            : `DEPS of ${enhancedId(node)} has head 0 with relation '${arc.relation}'; head 0 needs root.`,
          `${arc.head}:${arc.relation}`,
        );
      }
    }
  },
};
