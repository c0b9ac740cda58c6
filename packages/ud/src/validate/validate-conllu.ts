import { checkOptions, InvalidArgumentError, type OptionConstraints } from '@xling/core';
import { ConlluParser } from '../conllu/conllu-parser.js';
import type { Diagnostic } from './diagnostic.js';

/** Options of {@link validateConllu} and {@link validateConlluFile}. */
export interface ValidateConlluOptions {
  /** Name used in diagnostics. @defaultValue `'<input>'`, or the path */
  file?: string;
  /** Include warnings (`text-mismatch`). @defaultValue true */
  warnings?: boolean;
  /** Stop after this many diagnostics. @defaultValue 1000 */
  maxDiagnostics?: number;
  /**
   * {@link validateConlluFile} only: longest accepted line in bytes (before its line feed); a
   * longer one throws `XLING_LIMIT_EXCEEDED`. @defaultValue 1048576 (`MAX_LINE_BYTES`)
   */
  maxLineBytes?: number;
}

const CONSTRAINTS: OptionConstraints = {
  file: { type: 'string' },
  warnings: { type: 'boolean' },
  maxDiagnostics: { type: 'integer', min: 1 },
  maxLineBytes: { type: 'integer', min: 1 },
};

/** Resolves options and builds a parser that collects diagnostics (shared with the file variant). */
export function createValidator(
  options: ValidateConlluOptions | undefined,
  defaultFile: string,
  functionName: string,
): { parser: ConlluParser; diagnostics: Diagnostic[]; full: () => boolean } {
  checkOptions(options, CONSTRAINTS, functionName);
  const { file = defaultFile, warnings = true, maxDiagnostics = 1000 } = options ?? {};
  const diagnostics: Diagnostic[] = [];
  const parser = new ConlluParser({
    file,
    mode: 'lenient',
    warnings,
    keepSentences: false,
    validatorRules: true,
    onDiagnostic: (diagnostic) => {
      if (diagnostics.length < maxDiagnostics) diagnostics.push(diagnostic);
    },
  });
  return { parser, diagnostics, full: () => diagnostics.length >= maxDiagnostics };
}

/** Sorts diagnostics by position (stable, so errors of one line keep their rule order). */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Checks a CoNLL-U document against every rule (see the README's table: the checks of levels 1
 * and 2 of UD's validator: encoding, line ends, columns, whitespace, ids, heads, tree shape,
 * labels, features, enhanced dependencies, ranges, empty nodes, metadata) and returns all
 * problems instead of throwing. The reader runs the same error rules except the
 * `validatorOnly` ones.
 *
 * @see https://github.com/UniversalDependencies/tools (validate.py, the official validator these rules follow)
 * @param text - The document, as a string or UTF-8 bytes (only bytes can show `invalid-utf8`).
 * @param options - See {@link ValidateConlluOptions}.
 * @returns Diagnostics in line order; empty for a valid document.
 * @throws XLING_INVALID_ARGUMENT for bad options or input of another type.
 * @example
 * validateConllu('1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n'); // [{ ruleId: 'final-blank-line', line: 1, ... }]
 */
export function validateConllu(text: string | Uint8Array, options?: ValidateConlluOptions): Diagnostic[] {
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      'text',
      'validateConllu',
      `must be a string or a Uint8Array, but got ${typeof text}.`,
    );
  }
  const { parser, diagnostics } = createValidator(options, '<input>', 'validateConllu');
  if (typeof text === 'string') parser.push(text, true);
  else parser.pushBytes(text, true);
  return sortDiagnostics(diagnostics);
}
