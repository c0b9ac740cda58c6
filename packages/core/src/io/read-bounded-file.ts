import { ResourceLimitError } from '../errors/resource-limit-error.js';
import { openRegularFile, readBytesAt } from './regular-file.js';

/**
 * Reads a whole file that came from outside (a config, a JSON file in a model folder) safely:
 * it must be a regular file (a FIFO or a device such as `/dev/zero` would hang or never end) of
 * at most `maxBytes` bytes, checked on the opened file before anything is read.
 *
 * @param limitName - the documented limit's name, for the error message
 * @throws XLING_FILE_NOT_REGULAR, XLING_LIMIT_EXCEEDED, XLING_FILE_SYSTEM (missing, unreadable)
 */
export async function readBoundedFile(path: string, maxBytes: number, limitName: string): Promise<Buffer> {
  const { handle, size } = await openRegularFile(path);
  try {
    if (size > maxBytes)
      throw new ResourceLimitError(path, limitName, maxBytes, `the file has ${size} bytes`);
    const bytes = await readBytesAt(handle, 0, size, path);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    await handle.close();
  }
}
