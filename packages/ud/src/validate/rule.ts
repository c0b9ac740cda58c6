import type { Sentence } from '../conllu/types.js';
import type { DiagnosticSeverity } from './diagnostic.js';

/** Reports one diagnostic for the sentence being checked. */
export type ReportFunction = (
  rule: RuleDefinition,
  line: number,
  column: number,
  message: string,
  actual?: string,
  expected?: string,
) => void;

/** State a sentence rule may read or update (kept for the whole file). */
export interface RuleContext {
  report: ReportFunction;
  /** `sent_id`s seen so far in this file, with the line where each was first seen. */
  sentIds: Map<string, number>;
}

/**
 * One validation rule. Line-level rules (encoding, line ends, column splitting, ids) are checked
 * by the tokenizer while it splits lines, because a second pass would halve the reader's speed;
 * their definitions hold the id, severity and summary only. Sentence-level rules carry `check`,
 * which the reader calls once per complete, well-formed sentence.
 */
export interface RuleDefinition {
  /** Stable id, kebab-case; also the fixture name `__fixtures__/<id>.conllu`. */
  id: string;
  severity: DiagnosticSeverity;
  /** One line describing what the rule requires. */
  summary: string;
  check?: (sentence: Sentence, context: RuleContext) => void;
}
