import type { RuleDefinition } from '../rule.js';

/** Every line (comments included) must be in Unicode normalization form C. Checked by the tokenizer (`src/conllu/conllu-parser.ts`). */
export const unicodeNfcRule: RuleDefinition = {
  id: 'unicode-nfc',
  severity: 'error',
  level: 1,
  validatorOnly: true,
  summary: 'Every line, comments included, must be in Unicode normalization form C (NFC).',
};
