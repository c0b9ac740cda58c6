import type { Stats } from 'node:fs';
import { XlingError, type XlingErrorOptions } from './xling-error.js';

/** What a non-regular file is, in words. */
export function describeFileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a plain file';
}

/**
 * A path that must be a regular file is a folder, a named pipe, a socket or a device (symlinks
 * followed): reading a pipe waits for a writer and `/dev/zero` never ends, so xling refuses them
 * before reading. Code `XLING_FILE_NOT_REGULAR`; `kind` says what it is.
 */
export class NotRegularFileError extends XlingError {
  readonly path: string;
  readonly kind: string;

  constructor(path: string, stats: Stats, options: XlingErrorOptions = {}) {
    const kind = describeFileKind(stats);
    super(
      'XLING_FILE_NOT_REGULAR',
      `'${path}' is not a regular file (it is ${kind}, after following symlinks); xling reads only regular files.`,
      options,
    );
    this.name = 'NotRegularFileError';
    this.path = path;
    this.kind = kind;
  }
}
