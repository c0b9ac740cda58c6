import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { XlingError, type XlingErrorOptions } from './xling-error.js';

/** What to tell the user for each operating-system error code an ordinary fault raises. */
const REMEDIES: Record<string, string> = {
  ENOSPC: 'the disk is full; free space (or point the output elsewhere) and rerun: finished work is kept',
  EDQUOT: 'the disk quota is exhausted; free space and rerun: finished work is kept',
  EROFS: 'the file system is read-only; choose a writable output folder',
  EACCES: 'permission denied; check the owner and mode of the path or choose another folder',
  EPERM: 'operation not permitted; check the owner and mode of the path or choose another folder',
  ENOENT: 'no such file or folder; check the path',
  ENOTDIR: 'a part of the path is a file where a folder is needed; remove or rename it',
  EISDIR: 'the path is a folder where a file is needed; remove or rename it',
  EEXIST: 'the path already exists as another kind of entry; remove or rename it',
  ENAMETOOLONG: 'the path is too long for the file system',
  EMFILE: 'too many open files; raise the limit (ulimit -n) or run fewer jobs at once',
  EIO: 'the device reported an input/output error',
};

/**
 * Node's recursive `mkdir` reports ENOENT when the real fault is a read-only or unwritable
 * ancestor; ask the nearest existing ancestor whether it is writable to name the real cause.
 */
function mkdirCause(path: string): string | undefined {
  let dir = dirname(path);
  while (!existsSync(dir) && dir !== dirname(dir)) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/**
 * An ordinary file-system fault (disk full, read-only or unwritable folder, a file where a folder
 * is needed, a missing file). Code `XLING_FILE_SYSTEM`; `path` names what failed and the message
 * says how to fix it, so a fault never looks like a bug.
 */
export class FileSystemError extends XlingError {
  readonly path: string;
  /** The operating system's error code (`ENOSPC`, `EROFS`, ...). */
  readonly systemCode: string;

  constructor(path: string, systemCode: string, action: string, options: XlingErrorOptions = {}) {
    const remedy = REMEDIES[systemCode] ?? 'the operating system refused the operation';
    super('XLING_FILE_SYSTEM', `Cannot ${action} '${path}': ${remedy} (${systemCode}).`, options);
    this.name = 'FileSystemError';
    this.path = path;
    this.systemCode = systemCode;
  }

  /** True when `error` is a Node system error with an errno code this class describes. */
  static isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
    return (
      error instanceof Error &&
      typeof (error as NodeJS.ErrnoException).code === 'string' &&
      (error as NodeJS.ErrnoException).code! in REMEDIES
    );
  }

  /**
   * Wraps a Node system error as a `FileSystemError` (keeping it as `cause`); returns any other
   * error unchanged. `action` defaults to the system call (`open`, `write`, `rename`, ...) and
   * `path` to the path Node names in the error.
   */
  static from(error: unknown, action?: string, path?: string): unknown {
    if (XlingError.isInstance(error) || !FileSystemError.isSystemError(error)) return error;
    const what = action ?? error.syscall ?? 'access';
    const where = path ?? error.path ?? '(unknown path)';
    const cause =
      error.code === 'ENOENT' && error.syscall === 'mkdir' && error.path ? mkdirCause(error.path) : undefined;
    return new FileSystemError(where, cause ?? error.code, what, { cause: error });
  }
}
