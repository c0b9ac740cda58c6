import { XlingError, type XlingErrorOptions } from './xling-error.js';

/** Where and why an input file is malformed. */
export interface FileFormatErrorInfo {
  /** Path of the file (or a label such as `<stream>`). */
  file: string;
  /** 1-based line; 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based column; 0 when unknown. */
  column: number;
  /** Stable id of the broken rule, e.g. `column-count`. */
  ruleId: string;
  /** What is wrong, without the location. */
  reason: string;
}

/** An input file breaks its format. Code `XLING_FILE_FORMAT`; message `file:line:column: reason (ruleId)`. */
export class FileFormatError extends XlingError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly reason: string;

  constructor(info: FileFormatErrorInfo, options: XlingErrorOptions = {}) {
    super(
      'XLING_FILE_FORMAT',
      `${info.file}:${info.line}:${info.column}: ${info.reason} (${info.ruleId})`,
      options,
    );
    this.name = 'FileFormatError';
    this.file = info.file;
    this.line = info.line;
    this.column = info.column;
    this.ruleId = info.ruleId;
    this.reason = info.reason;
  }
}
