import { DEPREL_LABELS } from '@xling/core';
import { depsColumn, enhancedId, enhancedNodes } from '../enhanced-deps.js';
import type { RuleDefinition } from '../rule.js';
import { universalPart } from '../sentence-helpers.js';

// UD's enhanced relation: a lowercase ASCII universal part, then up to three parts (subtype,
// preposition or case marker in any lowercase or caseless script, case); `_` joins words.
const EDEPREL =
  /^[a-z]+(?::[a-z]+)?(?::[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:_[\p{Ll}\p{Lm}\p{Lo}\p{M}]+)*)?(?::[a-z]+)?$/u;
const universal = new Set<string>([...DEPREL_LABELS, 'ref']);
// Valid relations seen so far: a treebank uses a few hundred.
const seen = new Set<string>();

function isValidRelation(relation: string): boolean {
  if (seen.has(relation)) return true;
  const ok = EDEPREL.test(relation) && universal.has(universalPart(relation));
  if (ok && seen.size < 10_000) seen.add(relation);
  return ok;
}

/**
 * Each DEPS relation must be a universal relation or `ref`, lowercase, optionally extended by
 * UD's enhanced subtypes (`obl:in`, `nmod:poss`, `obl:za:gen`, `acl:relcl`...).
 */
export const depsRelationRule: RuleDefinition = {
  id: 'deps-relation',
  severity: 'error',
  level: 2,
  summary: 'Each DEPS relation must be a universal relation or ref, lowercase, with UD-style subtypes.',
  check(sentence, context) {
    for (const node of enhancedNodes(sentence)) {
      for (const arc of node.arcs) {
        if (isValidRelation(arc.relation)) continue;
        context.report(
          depsRelationRule,
          node.line,
          depsColumn(node),
          `Unknown or malformed relation '${arc.relation}' in DEPS of ${enhancedId(node)}.`,
          arc.relation,
          'universal[:subtype][:marker][:case]',
        );
      }
    }
  },
};
