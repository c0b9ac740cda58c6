import type { Diagnostic } from './diagnostic.js';

/**
 * One diagnostic as a line in unified's reporter format:
 * `file:line:column  severity  message  ruleId`.
 *
 * @example
 * formatDiagnostic(diagnostic); // 'a.conllu:3:1  error  Expected 10 tab-separated columns, found 9.  column-count'
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}  ${diagnostic.severity}  ${diagnostic.message}  ${diagnostic.ruleId}`;
}
