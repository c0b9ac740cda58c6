// A minimal tar writer for tests of archive readers: ustar entries, GNU long names, pax records,
// and bare headers that declare sizes no data backs (as a hostile archive may).
import { gzipSync } from 'node:zlib';

export interface TarInput {
  path: string;
  data?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink';
  /** Write the name as a pax `path` record instead of the header field, with these extra records. */
  pax?: boolean | Record<string, string>;
}

/** One ustar header block; `size` is only declared (no data follows), as a hostile archive may do. */
export function tarHeader(name: string, size: number, flag: string, linkName = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(flag, 156);
  block.write(linkName, 157);
  block.write('ustar\0', 257);
  block.write('00', 263);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

/** A tar archive (ustar; long names as GNU `L` entries or pax records), uncompressed. */
export function createTar(entries: TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? '');
    if (entry.pax) {
      const record = (key: string, value: string) => {
        const body = ` ${key}=${value}\n`;
        const bytes = Buffer.byteLength(body);
        let length = bytes + 1;
        while (String(length).length + bytes !== length) length = String(length).length + bytes;
        return `${length}${body}`;
      };
      const extra = typeof entry.pax === 'object' ? Object.entries(entry.pax) : [];
      const pax = Buffer.from([['path', entry.path], ...extra].map(([k, v]) => record(k!, v!)).join(''));
      blocks.push(tarHeader('PaxHeader', pax.length, 'x'), pad(pax));
    } else if (Buffer.byteLength(entry.path) > 100) {
      const long = Buffer.from(`${entry.path}\0`);
      blocks.push(tarHeader('././@LongLink', long.length, 'L'), pad(long));
    }
    const flag = entry.type === 'directory' ? '5' : entry.type === 'symlink' ? '2' : '0';
    const size = entry.type === undefined || entry.type === 'file' ? data.length : 0;
    blocks.push(
      tarHeader(
        entry.pax ? 'ignored-name' : entry.path,
        size,
        flag,
        entry.type === 'symlink' ? '/etc/passwd' : '',
      ),
    );
    if (size > 0) blocks.push(pad(data));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export const createTarGz = (entries: TarInput[]): Buffer => gzipSync(createTar(entries));
