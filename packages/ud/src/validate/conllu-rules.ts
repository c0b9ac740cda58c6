import type { DiagnosticSeverity } from './diagnostic.js';
import { ALL_RULES } from './rules/index.js';

/** A validation rule as documented: its stable id, severity and what it requires. */
export interface ConlluRule {
  id: string;
  severity: DiagnosticSeverity;
  summary: string;
}

/**
 * Every rule that {@link validateConllu} checks (and the reader enforces, for errors), in
 * documentation order; each has a fixture `src/__fixtures__/<id>.conllu`.
 */
export const conlluRules: readonly ConlluRule[] = ALL_RULES.map(({ id, severity, summary }) => ({
  id,
  severity,
  summary,
}));
