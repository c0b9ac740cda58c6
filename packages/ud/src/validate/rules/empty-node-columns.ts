import { columnOf } from '../field-column.js';
import type { RuleDefinition } from '../rule.js';
import { emptyNodeId } from '../sentence-helpers.js';

/** An empty node has no basic-tree attachment: its HEAD and DEPREL must be `_`. */
export const emptyNodeColumnsRule: RuleDefinition = {
  id: 'empty-node-columns',
  severity: 'error',
  level: 2,
  summary: 'An empty node must have an underscore in HEAD and DEPREL.',
  check(sentence, context) {
    for (const node of sentence.emptyNodes) {
      for (const [index, name] of [
        [5, 'HEAD'],
        [6, 'DEPREL'],
      ] as const) {
        const value = node.columns[index];
        if (value === '_' || value === '') continue;
        const id = emptyNodeId(node);
        context.report(
          emptyNodeColumnsRule,
          node.line,
          columnOf([id, ...node.columns], index + 1),
          `Empty node ${id} has ${name} '${value}'; empty nodes attach only through DEPS.`,
          value,
          '_',
        );
      }
    }
  },
};
