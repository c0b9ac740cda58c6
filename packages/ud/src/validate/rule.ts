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
  /** `parallel_id`s seen so far in this file. */
  parallelIds: Set<string>;
  /** Per parallel sentence (`corpus/sentence`): the last `alt` and `part` numbers seen (null: none). */
  parallelSuffixes: Map<string, { alt: number | null; part: number | null }>;
  /** Line of the first sentence with an enhanced graph, and of the first without one (0: none yet). */
  firstWithGraph: number;
  firstWithoutGraph: number;
  /** Whether the last token of the previous sentence has `SpaceAfter=No`. */
  spaceAfterNo: boolean;
}

/** A fresh per-file {@link RuleContext}. */
export function createRuleContext(report: ReportFunction): RuleContext {
  return {
    report,
    sentIds: new Map(),
    parallelIds: new Set(),
    parallelSuffixes: new Map(),
    firstWithGraph: 0,
    firstWithoutGraph: 0,
    spaceAfterNo: false,
  };
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
  /** The level of the official UD validator (validate.py) whose checks this rule covers. */
  level: 1 | 2;
  /**
   * True for UD conventions that leave the sentence itself usable (metadata comments, MISC
   * attributes, NFC, enhanced graphs in all sentences or none): `validateConllu` reports them as
   * errors on sentences without other errors; the reader does not check them.
   */
  validatorOnly?: boolean;
  /** One line describing what the rule requires. */
  summary: string;
  check?: (sentence: Sentence, context: RuleContext) => void;
}
