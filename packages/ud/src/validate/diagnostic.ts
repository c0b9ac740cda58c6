/** How bad a problem is: an `error` breaks the CoNLL-U format or UD's rules, a `warning` is suspicious. */
export type DiagnosticSeverity = 'error' | 'warning';

/**
 * One problem found in a CoNLL-U file, shaped like unified's `VFileMessage`: where it is
 * (`file:line:column`, 1-based; column counts UTF-16 code units of the decoded line, bytes for
 * `invalid-utf8`), which rule it breaks (`ruleId`, stable, one file per rule under
 * `src/validate/rules/`), and what was found versus expected where that is a single value.
 */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** Stable rule id such as `column-count`; see the README's rule table. */
  ruleId: string;
  source: 'ud';
  /** The file path, or `<input>` / `<stream>` when reading text or a stream. */
  file: string;
  /** 1-based line; 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based column; 1 when the problem concerns the whole line. */
  column: number;
  message: string;
  actual?: string;
  expected?: string;
}
