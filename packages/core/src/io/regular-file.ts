import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { FileFormatError } from '../errors/file-format-error.js';
import { FileSystemError } from '../errors/file-system-error.js';
import { NotRegularFileError } from '../errors/not-regular-file-error.js';

/**
 * Opens `path` for reading and refuses anything but a regular file (symlinks followed). The open
 * does not block, and the check runs on the open handle, so a named pipe or a device such as
 * /dev/zero in place of a file fails at once instead of hanging or never ending.
 *
 * @throws XLING_FILE_NOT_REGULAR when `path` is not a regular file.
 * @throws XLING_FILE_SYSTEM when it cannot be opened (Node's `code`, e.g. ENOENT, stays on `cause`).
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK only matters for a pipe (Windows has neither: 0).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw FileSystemError.from(error, 'open', path);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotRegularFileError(path, stats);
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw FileSystemError.from(error, 'examine', path);
  }
}

/**
 * Reads `length` bytes at `position`, looping over short reads.
 * @param ruleId - the format rule a file that ends first breaks (it shrank after it was examined)
 * @throws XLING_FILE_FORMAT when the file ends first.
 */
export async function readBytesAt(
  handle: FileHandle,
  position: number,
  length: number,
  path: string,
  ruleId = 'file-truncated',
): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let filled = 0;
  try {
    while (filled < length) {
      const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch (error) {
    throw FileSystemError.from(error, 'read', path);
  }
  if (filled < length) {
    throw new FileFormatError({
      file: path,
      line: 0,
      column: 0,
      ruleId,
      reason: `ends after ${position + filled} bytes, before the ${position + length} expected (truncated while read?)`,
    });
  }
  return bytes;
}
