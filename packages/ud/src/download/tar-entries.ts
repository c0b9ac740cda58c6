import { FileFormatError, ResourceLimitError } from '@xling/core';

/**
 * Largest GNU long-name/long-link or pax header an archive may carry: 1 MiB (real ones hold one
 * path, well under 4 KiB). Such a header is buffered whole, so it is checked before reading.
 */
export const MAX_TAR_HEADER_BYTES = 2 ** 20;

/**
 * Default cap on the bytes that the entries of one archive hold together: 64 GiB (an official UD
 * release holds a few GiB). Checked against each entry's declared size before its data is read, so
 * a gzip bomb fails at its first oversized entry.
 */
export const MAX_EXTRACTED_BYTES = 64 * 2 ** 30;

/**
 * Default cap on how many times its compressed size an archive may expand to: 20. CoNLL-U
 * compresses about 6-fold with gzip (the shared UD copy: 197.5 MB in 31.6 MB of .gz), while a
 * gzip bomb of zeros expands about 1000-fold, so a 64 MiB bomb stops after about 1.3 GB instead
 * of 64 GiB. Archives expanding to less than {@link RATIO_FLOOR_BYTES} are not held to it.
 */
export const MAX_COMPRESSION_RATIO = 20;

/** Contents below 256 MiB are never refused for their compression ratio (tiny archives compress oddly). */
export const RATIO_FLOOR_BYTES = 2 ** 28;

/** Default cap on the headers of one archive: 1,000,000 (a UD release has a few thousand entries). */
export const MAX_TAR_ENTRIES = 1_000_000;

/** Limits of {@link tarEntries}; see the constants for the defaults. */
export interface TarLimits {
  /** Most bytes of one GNU long-name/long-link or pax header. */
  maxHeaderBytes: number;
  /** Most bytes that all entries' data (headers' included) may add up to. */
  maxBytes: number;
  /** Most headers (entries and their GNU/pax headers). */
  maxEntries: number;
  /** Most times `compressedBytes` that the contents may hold (past {@link RATIO_FLOOR_BYTES}). */
  maxRatio: number;
  /** Size of the compressed archive, when known: enables the ratio limit. */
  compressedBytes: number;
}

/** One entry of a tar archive; `data` must be consumed (or skipped) before the next entry. */
export interface TarEntry {
  /** Path inside the archive, `/`-separated (GNU long names and pax `path` applied). */
  path: string;
  type: 'file' | 'directory' | 'other';
  size: number;
  /** Octal permission bits from the header. */
  mode: number;
  /** The entry's bytes, in chunks. */
  data: AsyncGenerator<Buffer>;
}

class ChunkReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  offset = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.length < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.chunks.push(next.value);
        this.length += next.value.length;
      }
    }
  }

  /** Exactly `n` bytes, or null at a clean end of input (no byte left). */
  async read(n: number): Promise<Buffer | null> {
    await this.fill(n);
    if (this.length === 0) return null;
    if (this.length < n) return Buffer.concat(this.take(this.length));
    return Buffer.concat(this.take(n), n);
  }

  private take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const head = this.chunks[0]!;
      if (head.length <= left) {
        out.push(head);
        this.chunks.shift();
        left -= head.length;
      } else {
        out.push(head.subarray(0, left));
        this.chunks[0] = head.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    this.offset += n;
    return out;
  }

  /** `n` bytes as a stream of chunks; fewer at the end of input is reported by `onShort`. */
  async *stream(n: number, onShort: (got: number) => never): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.length === 0) await this.fill(1);
      if (this.length === 0) onShort(n - left);
      const size = Math.min(left, this.chunks[0]!.length);
      const [chunk] = this.take(size);
      left -= size;
      yield chunk!;
    }
  }
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  if ((block[start]! & 0x80) !== 0) {
    // GNU base-256 encoding for sizes of 8 GiB and more.
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const digits = text(block, start, length).trim();
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) out[record.slice(0, equals)] = record.slice(equals + 1);
    at += length;
  }
  return out;
}

/** A declared size (a number, or a pax record's digits) if it is a non-negative safe integer. */
function byteCount(value: number | string): number | undefined {
  const count = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

const META_HEADERS: Record<string, string> = {
  L: 'GNU long-name',
  K: 'GNU long-link',
  x: 'pax',
  g: 'pax global',
};

/**
 * Reads a (ustar, GNU or pax) tar stream entry by entry. Headers are checksum-verified; a
 * truncated archive or a bad header is a `FileFormatError` naming the byte offset in `column`.
 * `limits` bound memory and work before they are spent (`XLING_LIMIT_EXCEEDED`).
 */
export async function* tarEntries(
  source: AsyncIterable<Buffer>,
  file: string,
  limits: Partial<TarLimits> = {},
): AsyncGenerator<TarEntry> {
  const maxHeaderBytes = limits.maxHeaderBytes ?? MAX_TAR_HEADER_BYTES;
  const maxBytes = limits.maxBytes ?? MAX_EXTRACTED_BYTES;
  const maxEntries = limits.maxEntries ?? MAX_TAR_ENTRIES;
  const maxRatio = limits.maxRatio ?? MAX_COMPRESSION_RATIO;
  const ratioBytes = Math.max(
    RATIO_FLOOR_BYTES,
    maxRatio * (limits.compressedBytes ?? Number.POSITIVE_INFINITY),
  );
  const reader = new ChunkReader(source[Symbol.asyncIterator]());
  const fail = (ruleId: string, reason: string): never => {
    throw new FileFormatError({ file, line: 0, column: reader.offset, ruleId, reason });
  };
  let headers = 0;
  let bytes = 0;
  /** Counts one header and the data it declares against the limits, before anything is read. */
  const admit = (size: number, where: string) => {
    if (++headers > maxEntries) {
      throw new ResourceLimitError(file, 'MAX_TAR_ENTRIES', maxEntries, `more than ${maxEntries} entries`);
    }
    bytes += size;
    if (bytes > maxBytes) {
      throw new ResourceLimitError(
        file,
        'MAX_EXTRACTED_BYTES',
        maxBytes,
        `${where} would bring the archive's contents to ${bytes} bytes`,
      );
    }
    if (bytes > ratioBytes) {
      throw new ResourceLimitError(
        file,
        'MAX_COMPRESSION_RATIO',
        maxRatio,
        `${where} would bring the archive's contents to ${bytes} bytes, more than ${maxRatio} times its ${limits.compressedBytes} compressed bytes (a gzip bomb?)`,
      );
    }
  };
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  for (;;) {
    const block = await reader.read(512);
    if (block === null) return; // some writers omit the two zero blocks
    if (block.length < 512)
      fail('tar-truncated', `archive ends inside a header (${block.length} of 512 bytes)`);
    if (block.every((b) => b === 0)) return;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
    if (sum !== octal(block, 148, 8))
      fail('tar-header-checksum', 'header checksum does not match: not a tar file, or corrupt');
    const size = byteCount(octal(block, 124, 12)) ?? fail('tar-header', 'the size field is not a number');
    const flag = String.fromCharCode(block[156]!);
    const short = (got: number): never =>
      fail('tar-truncated', `archive ends inside an entry (${got} of ${size} bytes)`);
    const meta = META_HEADERS[flag];
    if (meta !== undefined) {
      if (size > maxHeaderBytes) {
        throw new ResourceLimitError(
          file,
          'MAX_TAR_HEADER_BYTES',
          maxHeaderBytes,
          `a ${meta} header at byte ${reader.offset - 512} declares ${size} bytes`,
        );
      }
      admit(size, `a ${meta} header`);
      const parts: Buffer[] = [];
      for await (const chunk of reader.stream(Math.ceil(size / 512) * 512, short)) parts.push(chunk);
      const data = Buffer.concat(parts).subarray(0, size);
      if (flag === 'L') longName = data.toString('utf8').replace(/\0+$/, '');
      if (flag === 'x') pax = parsePax(data);
      continue;
    }
    const prefix = text(block, 345, 155);
    const name = text(block, 0, 100);
    const path =
      pax.path ?? longName ?? (prefix !== '' && text(block, 257, 5) === 'ustar' ? `${prefix}/${name}` : name);
    const entrySize =
      pax.size === undefined
        ? size
        : (byteCount(pax.size) ??
          fail('tar-pax', `the pax size '${pax.size}' of '${path}' is not a byte count`));
    longName = undefined;
    pax = {};
    admit(entrySize, `entry '${path}' (${entrySize} bytes)`);
    const type =
      flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'directory' : 'other';
    const entryPadded = Math.ceil(entrySize / 512) * 512;
    let consumed = false;
    const data = (async function* () {
      consumed = true;
      let left = entrySize;
      for await (const chunk of reader.stream(entryPadded, short)) {
        if (left > 0) yield chunk.length <= left ? chunk : chunk.subarray(0, left);
        left -= Math.min(left, chunk.length);
      }
    })();
    yield { path, type, size: entrySize, mode: octal(block, 100, 8), data };
    if (!consumed) for await (const _ of reader.stream(entryPadded, short));
  }
}
