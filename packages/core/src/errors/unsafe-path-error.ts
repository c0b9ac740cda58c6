import { XlingError, type XlingErrorOptions } from './xling-error.js';

/**
 * A path taken from untrusted input (a URL, an HTTP header, an archive entry, a config value)
 * would land outside the folder it belongs in, or is not a plain name. Code `XLING_UNSAFE_PATH`.
 * Nothing has been written when it is thrown.
 */
export class UnsafePathError extends XlingError {
  readonly root: string;
  readonly path: string;

  constructor(root: string, path: string, source: string, options: XlingErrorOptions = {}) {
    super(
      'XLING_UNSAFE_PATH',
      `${source} gives the path '${path}', which is not a plain name inside '${root}'; refusing to write it.`,
      options,
    );
    this.name = 'UnsafePathError';
    this.root = root;
    this.path = path;
  }
}
