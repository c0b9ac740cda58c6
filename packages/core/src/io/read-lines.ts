import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileFormatError } from '../errors/file-format-error.js';
import { FileSystemError } from '../errors/file-system-error.js';
import { ResourceLimitError } from '../errors/resource-limit-error.js';
import { checkOptions } from '../options/check-options.js';

/**
 * Longest line {@link readLines} accepts, in bytes before its line feed: 1 MiB. Text data read
 * line by line (CoNLL-U, TSV manifests) has lines of a few kilobytes at most (the longest line
 * of the shared UD copy has 1,704 bytes), so genuine files stay far below it, while a file
 * without line ends (a small gzip that unpacks to one huge line) costs at most this much memory
 * before it is refused. Override with `options.maxLineBytes`.
 */
export const MAX_LINE_BYTES = 1 << 20;

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Longest accepted line in bytes (before its line feed). @defaultValue {@link MAX_LINE_BYTES} */
  maxLineBytes?: number;
}

/**
 * Opens `path` as a byte stream, gunzipping transparently when the name ends in `.gz`.
 */
export function openInputStream(path: string): Readable {
  const raw = createReadStream(path);
  if (!path.endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

function tooLong(path: string, line: number, maximum: number): ResourceLimitError {
  return new ResourceLimitError(
    path,
    'maxLineBytes',
    maximum,
    `line ${line} is longer than ${maximum} bytes (a file without line ends?)`,
  );
}

/** The text of a line's bytes, without a carriage return before its line feed. */
function decode(parts: Buffer[]): string {
  const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}

/** A read or gunzip failure as a coded error. */
function wrap(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const reason = `Not a valid gzip file (${(error as Error).message}).`;
    return new FileFormatError({ file: path, line: 0, column: 0, ruleId: 'gzip', reason }, { cause: error });
  }
  return FileSystemError.from(error, 'read', path);
}

/**
 * Lines of a UTF-8 text file (gzip-aware), without their line ends (`\n` or `\r\n`). A line is
 * measured while it streams in and refused once it passes `maxLineBytes`, so memory stays
 * bounded whatever the file holds. For formats where a byte-exact view matters (CoNLL-U
 * validation), read bytes with {@link openInputStream} instead.
 *
 * @throws XLING_LIMIT_EXCEEDED for a line longer than `options.maxLineBytes`, naming the file and line.
 * @throws XLING_FILE_SYSTEM when the file cannot be read; XLING_FILE_FORMAT (rule `gzip`) for a corrupt `.gz`.
 * @throws XLING_INVALID_ARGUMENT for bad options.
 */
export async function* readLines(path: string, options?: ReadLinesOptions): AsyncGenerator<string> {
  checkOptions(options, { maxLineBytes: { type: 'integer', min: 1 } }, 'readLines');
  const maximum = options?.maxLineBytes ?? MAX_LINE_BYTES;
  const input = openInputStream(path);
  // The start of an unfinished line, kept between chunks.
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  try {
    for await (const chunk of input) {
      const bytes = chunk as Buffer;
      let from = 0;
      for (let end = bytes.indexOf(10); end !== -1; end = bytes.indexOf(10, from)) {
        lineNo++;
        if (pendingBytes + end - from > maximum) throw tooLong(path, lineNo, maximum);
        pending.push(bytes.subarray(from, end));
        const line = decode(pending);
        pending.length = 0;
        pendingBytes = 0;
        yield line;
        from = end + 1;
      }
      if (from === bytes.length) continue;
      pendingBytes += bytes.length - from;
      if (pendingBytes > maximum) throw tooLong(path, lineNo + 1, maximum);
      pending.push(bytes.subarray(from));
    }
  } catch (error) {
    throw wrap(error, path);
  } finally {
    input.destroy();
  }
  if (pendingBytes > 0) yield decode(pending);
}
