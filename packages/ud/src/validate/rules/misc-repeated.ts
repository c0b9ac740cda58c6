import type { RuleDefinition } from '../rule.js';
import { miscItems, nodeLines } from '../sentence-helpers.js';

// The MISC attributes that UD's guidelines define once per node.
const SINGLE = new Set(['SpaceAfter', 'Lang', 'Translit', 'LTranslit', 'Gloss', 'LId', 'LDeriv', 'Ref']);

// MISC values without a repeated attribute seen so far (they repeat across words).
const clean = new Set<string>();

/** The first attribute that UD defines once per node but `misc` repeats, or `undefined`. */
function repeated(misc: string): string | undefined {
  if (misc === '_' || clean.has(misc) || !misc.includes('|')) return undefined;
  const names = new Set<string>();
  for (const item of miscItems(misc)) {
    const eq = item.indexOf('=');
    const name = eq === -1 ? item : item.slice(0, eq);
    if (!SINGLE.has(name)) continue;
    if (names.has(name)) return name;
    names.add(name);
  }
  if (clean.size < 50_000) clean.add(misc);
  return undefined;
}

/** SpaceAfter, Lang, Translit, LTranslit, Gloss, LId, LDeriv and Ref occur at most once in a MISC column. */
export const miscRepeatedRule: RuleDefinition = {
  id: 'misc-repeated',
  severity: 'error',
  level: 2,
  validatorOnly: true,
  summary:
    'MISC attributes SpaceAfter, Lang, Translit, LTranslit, Gloss, LId, LDeriv and Ref may occur only once.',
  check(sentence, context) {
    for (const node of nodeLines(sentence)) {
      const name = repeated(node.misc);
      if (name !== undefined)
        context.report(
          miscRepeatedRule,
          node.line,
          1,
          `MISC of ${node.id} has '${name}' more than once.`,
          node.misc,
        );
    }
  },
};
