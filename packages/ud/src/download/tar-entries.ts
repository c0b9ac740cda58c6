import { FileFormatError } from '@xling/core';

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

/**
 * Reads a (ustar, GNU or pax) tar stream entry by entry. Headers are checksum-verified; a
 * truncated archive or a bad header is a `FileFormatError` naming the byte offset in `column`.
 */
export async function* tarEntries(source: AsyncIterable<Buffer>, file: string): AsyncGenerator<TarEntry> {
  const reader = new ChunkReader(source[Symbol.asyncIterator]());
  const fail = (ruleId: string, reason: string): never => {
    throw new FileFormatError({ file, line: 0, column: reader.offset, ruleId, reason });
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
    const size = octal(block, 124, 12);
    const flag = String.fromCharCode(block[156]!);
    const padded = Math.ceil(size / 512) * 512;
    const short = (got: number): never =>
      fail('tar-truncated', `archive ends inside an entry (${got} of ${size} bytes)`);
    const readAll = async () => {
      const parts: Buffer[] = [];
      for await (const chunk of reader.stream(padded, short)) parts.push(chunk);
      return Buffer.concat(parts).subarray(0, size);
    };
    if (flag === 'L') {
      longName = (await readAll()).toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (flag === 'x') {
      pax = parsePax(await readAll());
      continue;
    }
    if (flag === 'g' || flag === 'K') {
      await readAll();
      continue;
    }
    const prefix = text(block, 345, 155);
    const name = text(block, 0, 100);
    const path =
      pax.path ?? longName ?? (prefix !== '' && text(block, 257, 5) === 'ustar' ? `${prefix}/${name}` : name);
    const entrySize = pax.size !== undefined ? Number(pax.size) : size;
    longName = undefined;
    pax = {};
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
