import { parseDeps } from '../enhanced-deps.js';
import { columnOf, fieldColumn } from '../field-column.js';
import type { RuleDefinition } from '../rule.js';
import { emptyNodeId } from '../sentence-helpers.js';

const EXPECTED = 'head:relation[|head:relation...]';

/**
 * The enhanced DEPS column (9) of words and empty nodes must be `_` or `head:relation` items
 * joined by `|`, each head `0`, a word id or an empty node id without leading zeros.
 */
export const depsFormatRule: RuleDefinition = {
  id: 'deps-format',
  severity: 'error',
  level: 2,
  summary: 'DEPS must be an underscore or head:relation pairs joined by |, heads written as ids.',
  check(sentence, context) {
    const report = (problem: string, deps: string, what: string, line: number, column: number) =>
      context.report(depsFormatRule, line, column, `Malformed DEPS of ${what}: ${problem}.`, deps, EXPECTED);
    for (const word of sentence.words) {
      // An empty column is reported by empty-column.
      const problem = word.deps === '' ? undefined : parseDeps(word.deps);
      if (typeof problem === 'string')
        report(problem, word.deps, `word ${word.id}`, word.line, fieldColumn(word, 8));
    }
    for (const node of sentence.emptyNodes) {
      const deps = node.columns[7];
      const problem = deps === '' ? undefined : parseDeps(deps);
      if (typeof problem !== 'string') continue;
      const id = emptyNodeId(node);
      report(problem, deps, `empty node ${id}`, node.line, columnOf([id, ...node.columns], 8));
    }
  },
};
