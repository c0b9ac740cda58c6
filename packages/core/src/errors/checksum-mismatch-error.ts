import { XlingError } from './xling-error.js';

/**
 * A downloaded file's SHA-256 is not the expected one. Code `XLING_CHECKSUM_MISMATCH`. The bad
 * file is deleted, never renamed into place.
 */
export class ChecksumMismatchError extends XlingError {
  readonly file: string;
  readonly expected: string;
  readonly actual: string;

  constructor(file: string, expected: string, actual: string) {
    super(
      'XLING_CHECKSUM_MISMATCH',
      `SHA-256 of ${file} is ${actual}, but ${expected} was expected; the file was deleted.`,
    );
    this.name = 'ChecksumMismatchError';
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}
