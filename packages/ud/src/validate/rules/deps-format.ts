import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';

function isDigits(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Why an enhanced DEPS value is malformed, or `undefined` when it is `_` or `head:rel(|head:rel)*`. */
export function depsProblem(deps: string): string | undefined {
  // An empty column is reported by empty-column.
  if (deps === '_' || deps === '') return undefined;
  let from = 0;
  while (from <= deps.length) {
    let bar = deps.indexOf('|', from);
    if (bar === -1) bar = deps.length;
    const colon = deps.indexOf(':', from);
    if (colon === -1 || colon > bar) return `item '${deps.slice(from, bar)}' is not head:relation`;
    const dot = deps.indexOf('.', from);
    const headOk =
      dot !== -1 && dot < colon
        ? isDigits(deps, from, dot) && isDigits(deps, dot + 1, colon)
        : isDigits(deps, from, colon);
    if (!headOk) return `head '${deps.slice(from, colon)}' is not a word or empty node id`;
    if (colon + 1 === bar) return `item '${deps.slice(from, bar)}' has an empty relation`;
    for (let i = colon + 1; i < bar; i++) {
      if (deps.charCodeAt(i) <= 32) return `relation '${deps.slice(colon + 1, bar)}' contains whitespace`;
    }
    from = bar + 1;
  }
  return undefined;
}

/** The enhanced DEPS column (9) must be `_` or `head:relation` items joined by `|`. */
export const depsFormatRule: RuleDefinition = {
  id: 'deps-format',
  severity: 'error',
  summary: 'DEPS must be an underscore or head:relation pairs joined by |.',
  check(sentence, context) {
    for (const word of sentence.words) {
      if (word.deps === '_') continue;
      const problem = depsProblem(word.deps);
      if (problem !== undefined) {
        context.report(
          depsFormatRule,
          word.line,
          fieldColumn(word, 8),
          `Malformed DEPS of word ${word.id}: ${problem}.`,
          word.deps,
          'head:relation[|head:relation...]',
        );
      }
    }
    for (const node of sentence.emptyNodes) {
      const deps = node.columns[7];
      const problem = deps === undefined ? undefined : depsProblem(deps);
      if (problem !== undefined) {
        context.report(
          depsFormatRule,
          node.line,
          1,
          `Malformed DEPS of empty node ${node.major}.${node.minor}: ${problem}.`,
          deps,
          'head:relation[|head:relation...]',
        );
      }
    }
  },
};
