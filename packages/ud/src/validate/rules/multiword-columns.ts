import { columnOf } from '../field-column.js';
import type { RuleDefinition } from '../rule.js';

const NAMES = ['LEMMA', 'UPOS', 'XPOS', 'FEATS', 'HEAD', 'DEPREL', 'DEPS'];

/**
 * A multiword token line carries only FORM and MISC: LEMMA to DEPS must be `_` (FEATS may be
 * `Typo=Yes`, as UD allows).
 */
export const multiwordColumnsRule: RuleDefinition = {
  id: 'multiword-columns',
  severity: 'error',
  level: 2,
  summary: 'A multiword token line must have an underscore in LEMMA to DEPS (FEATS may be Typo=Yes).',
  check(sentence, context) {
    for (const token of sentence.tokens) {
      const { rest } = token;
      for (let k = 0; k < rest.length; k++) {
        const value = rest[k];
        if (value === '_' || value === '' || (k === 3 && value === 'Typo=Yes')) continue;
        const id = `${token.start}-${token.end}`;
        context.report(
          multiwordColumnsRule,
          token.line,
          columnOf([id, token.form, ...rest], k + 2),
          `Multiword token ${id} has ${NAMES[k]} '${value}'; only FORM and MISC are allowed.`,
          value,
          '_',
        );
      }
    }
  },
};
