import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { FileSystemError } from '../errors/file-system-error.js';
import { ResourceLimitError } from '../errors/resource-limit-error.js';
import { XlingError } from '../errors/xling-error.js';

/**
 * Reads a whole file that came from outside (a config, a JSON file in a model folder) safely:
 * it must be a regular file (a FIFO or a device such as `/dev/zero` would hang or never end) of
 * at most `maxBytes` bytes, checked before anything is read. Opening with O_NONBLOCK keeps
 * `open` itself from waiting on a FIFO, and the check uses the opened file, so a swapped path
 * cannot slip through.
 *
 * @param limitName - the documented limit's name, for the error message
 * @throws XLING_FILE_NOT_REGULAR, XLING_LIMIT_EXCEEDED, XLING_FILE_SYSTEM (missing, unreadable)
 */
export async function readBoundedFile(path: string, maxBytes: number, limitName: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw FileSystemError.from(error, 'read', path);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new XlingError(
        'XLING_FILE_NOT_REGULAR',
        `'${path}' is not a regular file (a folder, FIFO, socket or device); xling reads only regular files.`,
      );
    }
    if (stat.size > maxBytes) {
      throw new ResourceLimitError(path, limitName, maxBytes, `the file has ${stat.size} bytes`);
    }
    const data = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(data, 0, stat.size, 0);
    return data.subarray(0, bytesRead);
  } catch (error) {
    throw FileSystemError.from(error, 'read', path);
  } finally {
    await handle.close();
  }
}
