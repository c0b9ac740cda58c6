import type { DiagnosticSeverity } from './diagnostic.js';
import { ALL_RULES } from './rules/index.js';

/** A validation rule as documented: its stable id, severity and what it requires. */
export interface ConlluRule {
  id: string;
  severity: DiagnosticSeverity;
  /** The level of the official UD validator (validate.py) whose checks the rule covers: 1 or 2. */
  level: 1 | 2;
  /** True when only {@link validateConllu} checks the rule; the reader keeps such sentences. */
  validatorOnly: boolean;
  summary: string;
}

/**
 * Every rule that {@link validateConllu} checks (and the reader enforces, for errors that are not
 * `validatorOnly`), in documentation order; each has a fixture `src/__fixtures__/<id>.conllu`.
 */
export const conlluRules: readonly ConlluRule[] = ALL_RULES.map(
  ({ id, severity, level, validatorOnly, summary }) => ({
    id,
    severity,
    level,
    validatorOnly: validatorOnly === true,
    summary,
  }),
);
