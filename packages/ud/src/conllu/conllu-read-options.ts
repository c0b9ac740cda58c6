import {
  checkOptions,
  InvalidArgumentError,
  type OptionConstraints,
  type ProgressCallback,
} from '@xling/core';
import type { Diagnostic } from '../validate/diagnostic.js';
import type { ParserSettings } from './conllu-parser.js';

/** A sentence that lenient reading left out, with the errors that made it bad. */
export interface SkippedSentence {
  /** 1-based line where the sentence starts. */
  line: number;
  /** Its `# sent_id`, when it had one. */
  sentId?: string;
  /** The errors found in it (at least one), in line order. */
  diagnostics: Diagnostic[];
}

/** Options of {@link parseConllu} and {@link readConllu}. */
export interface ConlluReadOptions {
  /**
   * `'strict'` throws a `FileFormatError` (code `XLING_FILE_FORMAT`) made from the first
   * error; `'lenient'` leaves out every sentence with an error, keeps going, and reports
   * through `onDiagnostic` / `onSkip`.
   * @defaultValue 'strict'
   */
  mode?: 'strict' | 'lenient';
  /** Name used in diagnostics. @defaultValue the path, or `'<input>'` / `'<stream>'` */
  file?: string;
  /** Also run warning rules (`text-mismatch`), reported through `onDiagnostic`. @defaultValue false */
  warnings?: boolean;
  /** Receives every diagnostic that does not throw: errors of skipped sentences and warnings. */
  onDiagnostic?: (diagnostic: Diagnostic) => void;
  /** Receives each sentence that lenient mode leaves out. */
  onSkip?: (skipped: SkippedSentence) => void;
}

export const READ_CONSTRAINTS: OptionConstraints = {
  mode: { type: 'enum', values: ['strict', 'lenient'] },
  file: { type: 'string' },
  warnings: { type: 'boolean' },
  onDiagnostic: { type: 'function' },
  onSkip: { type: 'function' },
};

/** Options of {@link readConllu}: those of parsing plus cancellation and progress. */
export interface ReadConlluOptions extends ConlluReadOptions {
  /** Stops reading between chunks with an `AbortError` (code `XLING_ABORTED`). */
  signal?: AbortSignal;
  /** Receives `start` / `progress` / `end` events counting decompressed bytes (task `'read-conllu'`). */
  onProgress?: ProgressCallback;
  /**
   * Longest accepted line in bytes (before its line feed); a longer one throws
   * `XLING_LIMIT_EXCEEDED` before it is buffered whole.
   * @defaultValue 1048576 (`MAX_LINE_BYTES`)
   */
  maxLineBytes?: number;
}

export function settingsFrom(
  options: ConlluReadOptions | undefined,
  defaultFile: string,
  functionName: string,
): ParserSettings {
  checkOptions(options, READ_CONSTRAINTS, functionName);
  const { mode = 'strict', file = defaultFile, warnings = false, onDiagnostic, onSkip } = options ?? {};
  return { file, mode, warnings, keepSentences: true, validatorRules: false, onDiagnostic, onSkip };
}

export function checkSignal(signal: unknown, functionName: string): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(
      'options.signal',
      functionName,
      `must be an AbortSignal, but got ${typeof signal}.`,
    );
  }
}
