import { XlingError, type XlingErrorOptions } from '@xling/core';

/** What {@link UdDataError} knows about the problem. */
export interface UdDataErrorInfo {
  /** The UD directory that was searched (or the candidates, joined, when none was found). */
  dir: string;
  /** Treebank concerned, when there is one. */
  treebank?: string;
  /** Files or splits (relative to `dir`) that were needed but not found. */
  missing?: readonly string[];
  /** The documented fallback, when there is one, in words. */
  fallback?: string;
}

/**
 * UD data that a call needs is not where it should be: no UD directory, an unknown treebank, a
 * treebank without the needed splits. Code `XLING_UD_DATA_MISSING`; the message lists what is
 * missing and the documented fallback.
 */
export class UdDataError extends XlingError {
  readonly dir: string;
  readonly treebank: string | undefined;
  readonly missing: readonly string[];
  readonly fallback: string | undefined;

  constructor(message: string, info: UdDataErrorInfo, options: XlingErrorOptions = {}) {
    super('XLING_UD_DATA_MISSING', message, options);
    this.name = 'UdDataError';
    this.dir = info.dir;
    this.treebank = info.treebank;
    this.missing = info.missing ?? [];
    this.fallback = info.fallback;
  }
}
