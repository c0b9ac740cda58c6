import { XlingError, type XlingErrorOptions } from './xling-error.js';

/**
 * An untrusted input asks for more than a documented limit allows (a CoNLL-U line, a tar header,
 * the bytes an archive extracts to, a model's layer count). Code `XLING_LIMIT_EXCEEDED`. Raised
 * before the memory or time is spent, so a hostile file fails fast instead of exhausting the
 * machine; `limit` names the limit (see docs/errors.md for each one and how to raise it).
 */
export class ResourceLimitError extends XlingError {
  readonly file: string;
  readonly limit: string;
  readonly maximum: number;

  constructor(
    file: string,
    limit: string,
    maximum: number,
    problem: string,
    options: XlingErrorOptions = {},
  ) {
    super('XLING_LIMIT_EXCEEDED', `${file}: ${problem} (limit ${limit} = ${maximum}).`, options);
    this.name = 'ResourceLimitError';
    this.file = file;
    this.limit = limit;
    this.maximum = maximum;
  }
}
