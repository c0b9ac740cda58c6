import type { RuleDefinition } from '../rule.js';
import { miscItems, nodeLines } from '../sentence-helpers.js';

// MISC values already found fine on a token (they repeat across words).
const fineOnTokens = new Set<string>();

/** Why a MISC value breaks UD's SpaceAfter conventions, or `undefined`. */
function spaceAfterProblem(misc: string, where: 'empty' | 'in-range' | 'token'): string | undefined {
  if (misc === '_' || (where === 'token' && fineOnTokens.has(misc))) return undefined;
  if (misc.includes('NoSpaceAfter=Yes')) return "write 'SpaceAfter=No' instead of 'NoSpaceAfter=Yes'";
  if (miscItems(misc).some((item) => item.startsWith('SpaceAfter=') && item !== 'SpaceAfter=No'))
    return "the only value of SpaceAfter is No (for several spaces use 'SpacesAfter')";
  if (where === 'token') {
    if (fineOnTokens.size < 50_000) fineOnTokens.add(misc);
    return undefined;
  }
  if (misc.includes('SpaceAfter=No'))
    return where === 'empty'
      ? 'an empty node is not a token and cannot have SpaceAfter=No'
      : 'SpaceAfter=No belongs on the multiword token line, not on its words';
  return undefined;
}

/**
 * MISC uses `SpaceAfter=No` only (not `NoSpaceAfter=Yes` or other values), and only on tokens:
 * not on empty nodes or on the words of a multiword token.
 */
export const spaceAfterRule: RuleDefinition = {
  id: 'space-after',
  severity: 'error',
  level: 2,
  validatorOnly: true,
  summary:
    'MISC may only say SpaceAfter=No, and only on tokens (not on empty nodes or words of a multiword token).',
  check(sentence, context) {
    const inRange = new Set<number>();
    for (const t of sentence.tokens) for (let w = t.start; w <= t.end; w++) inRange.add(w);
    for (const node of nodeLines(sentence)) {
      const where =
        node.kind === 'empty'
          ? 'empty'
          : node.kind === 'word' && inRange.has(node.start)
            ? 'in-range'
            : 'token';
      const problem = spaceAfterProblem(node.misc, where);
      if (problem !== undefined)
        context.report(spaceAfterRule, node.line, 1, `MISC of ${node.id}: ${problem}.`, node.misc);
    }
  },
};
