const marker = Symbol.for('xling.error');

/** Options shared by every xling error. */
export interface XlingErrorOptions {
  /** The error that caused this one, if any. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by xling. `code` is a stable string documented in
 * docs/errors.md; match on it (or use the subclass' `isInstance`) rather than on messages.
 */
export class XlingError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options: XlingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'XlingError';
    this.code = code;
    Object.defineProperty(this, marker, { value: true });
  }

  /**
   * True for any xling error, also one thrown by another installed copy of @xling/core
   * (where `instanceof` fails because the classes differ).
   */
  static isInstance(error: unknown): error is XlingError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
