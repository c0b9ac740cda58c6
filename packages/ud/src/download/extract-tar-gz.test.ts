import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { extractTarGz } from './extract-tar-gz.js';
import { createTar, createTarGz, tarHeader } from '@xling/core/testing';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  temps.push(mkdtempSync(join(tmpdir(), 'xling-tar-')));
  return temps.at(-1)!;
};
/** Every path under `dir`, recursively, `/`-separated. */
const tree = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => p.replaceAll('\\', '/'))
    .sort();
function archive(bytes: Buffer): string {
  const path = join(temp(), 'a.tgz');
  writeFileSync(path, bytes);
  return path;
}

describe('extractTarGz', () => {
  it('extractTarGz(archive, destination) writes files and folders, long names and pax paths', async () => {
    const long = `deep/${'x'.repeat(120)}/file.txt`;
    const big = Buffer.alloc(70_000, 7);
    const path = archive(
      createTarGz([
        { path: 'top/', type: 'directory' },
        { path: 'top/a.txt', data: 'alpha\n' },
        { path: 'top/empty.txt', data: '' },
        { path: 'top/big.bin', data: big },
        { path: long, data: 'long name' },
        { path: 'pax/ünïcode.txt', data: 'pax', pax: true },
      ]),
    );
    const destination = temp();
    const result = await extractTarGz(path, destination);
    expect(result.files).toEqual(['top/a.txt', 'top/empty.txt', 'top/big.bin', long, 'pax/ünïcode.txt']);
    expect(result.bytes).toBe(6 + 70_000 + 9 + 3);
    expect(readFileSync(join(destination, 'top/a.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(destination, 'top/big.bin')).equals(big)).toBe(true);
    expect(readFileSync(join(destination, long), 'utf8')).toBe('long name');
    expect(readFileSync(join(destination, 'pax/ünïcode.txt'), 'utf8')).toBe('pax');
  });

  it('extractTarGz(archive, destination, { strip: 1 }) drops the leading folder; links are skipped', async () => {
    const path = archive(
      createTarGz([
        { path: 'ud-treebanks-v2.15/UD_X-Y/x_y-ud-test.conllu', data: 'x' },
        { path: 'ud-treebanks-v2.15/link', type: 'symlink' },
      ]),
    );
    const destination = temp();
    const result = await extractTarGz(path, destination, { strip: 1 });
    expect(result.files).toEqual(['UD_X-Y/x_y-ud-test.conllu']);
    expect(result.skipped).toEqual(['ud-treebanks-v2.15/link']);
    expect(existsSync(join(destination, 'link'))).toBe(false);
  });

  it('extractTarGz(archive, destination) refuses entries outside the destination (XLING_UNSAFE_PATH)', async () => {
    const base = temp();
    const destination = join(base, 'out');
    const path = archive(createTarGz([{ path: '../escape.txt', data: 'bad' }]));
    await expect(extractTarGz(path, destination)).rejects.toMatchObject({
      code: 'XLING_UNSAFE_PATH',
      message: expect.stringMatching(/an entry of .*a\.tgz gives the path '\.\.\/escape\.txt'/),
    });
    expect(existsSync(join(base, 'escape.txt'))).toBe(false);
    const absolute = archive(createTarGz([{ path: '/xling-absolute.txt', data: 'bad' }]));
    await expect(extractTarGz(absolute, destination)).rejects.toMatchObject({ code: 'XLING_UNSAFE_PATH' });
    const stripped = archive(createTarGz([{ path: 'top/../../escape.txt', data: 'bad' }]));
    await expect(extractTarGz(stripped, destination, { strip: 1 })).rejects.toMatchObject({
      code: 'XLING_UNSAFE_PATH',
    });
    const nul = archive(createTarGz([{ path: 'a\u0000b', data: 'bad', pax: true }]));
    await expect(extractTarGz(nul, destination)).rejects.toMatchObject({ code: 'XLING_UNSAFE_PATH' });
    expect(tree(base)).toEqual(['out']);
  });

  it('extractTarGz(archive, destination) throws XLING_FILE_FORMAT for truncated, corrupt and non-gzip input', async () => {
    const tar = createTar([{ path: 'a.txt', data: Buffer.alloc(5000, 1) }]);
    await expect(extractTarGz(archive(gzipSync(tar.subarray(0, 2048))), temp())).rejects.toMatchObject({
      ruleId: 'tar-truncated',
      message: expect.stringMatching(/archive ends inside an entry/),
    });
    const corrupt = Buffer.from(tar);
    corrupt[10] = 0x41;
    await expect(extractTarGz(archive(gzipSync(corrupt)), temp())).rejects.toMatchObject({
      ruleId: 'tar-header-checksum',
    });
    await expect(extractTarGz(archive(Buffer.from('plain text, not gzip')), temp())).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'gzip',
    });
    const gz = gzipSync(tar);
    await expect(extractTarGz(archive(gz.subarray(0, gz.length - 30)), temp())).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
    });
  });
});

describe('extractTarGz limits', () => {
  it('extractTarGz(archive, destination) refuses a 256 MiB GNU long-name header before reading it (MAX_TAR_HEADER_BYTES)', async () => {
    const tar = Buffer.concat([tarHeader('././@LongLink', 256 * 2 ** 20, 'L'), Buffer.alloc(4096, 0x61)]);
    const path = archive(gzipSync(tar));
    await expect(extractTarGz(path, temp())).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'MAX_TAR_HEADER_BYTES',
      maximum: 2 ** 20,
      message: expect.stringMatching(/a\.tgz: a GNU long-name header at byte 0 declares 268435456 bytes/),
    });
  });

  it('extractTarGz(archive, destination, { maxHeaderBytes }) caps pax headers too', async () => {
    const path = archive(createTarGz([{ path: `${'p/'.repeat(400)}f.txt`, data: 'x', pax: true }]));
    await expect(extractTarGz(path, temp(), { maxHeaderBytes: 512 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'MAX_TAR_HEADER_BYTES',
      maximum: 512,
      message: expect.stringMatching(/a pax header at byte 0 declares \d+ bytes/),
    });
  });

  it('extractTarGz(archive, destination, { maxBytes }) stops a gzip bomb before writing it (MAX_EXTRACTED_BYTES)', async () => {
    const bomb = archive(
      createTarGz([
        { path: 'small.txt', data: 'ok' },
        { path: 'zeros.bin', data: Buffer.alloc(2 * 2 ** 20) },
      ]),
    );
    const destination = temp();
    await expect(extractTarGz(bomb, destination, { maxBytes: 2 ** 20 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'MAX_EXTRACTED_BYTES',
      maximum: 2 ** 20,
      message: expect.stringMatching(
        /entry 'zeros\.bin' \(2097152 bytes\) would bring the archive's contents to 2097154 bytes/,
      ),
    });
    expect(tree(destination)).toEqual(['small.txt']);
  });

  it('extractTarGz(archive, destination) refuses by default an entry past 20 times the archive size (MAX_COMPRESSION_RATIO)', async () => {
    // A header declaring 300 MiB, then 1 MiB of zeros: a bomb's start, a few KB gzipped.
    const bomb = archive(
      gzipSync(Buffer.concat([tarHeader('bomb.bin', 300 * 2 ** 20, '0'), Buffer.alloc(2 ** 20)])),
    );
    const destination = temp();
    await expect(extractTarGz(bomb, destination)).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'MAX_COMPRESSION_RATIO',
      maximum: 20,
      message: expect.stringMatching(/more than 20 times its \d+ compressed bytes \(a gzip bomb\?\)/),
    });
    expect(tree(destination)).toEqual([]);
    // A genuine archive of that size would pass with the ratio raised.
    await expect(extractTarGz(bomb, temp(), { maxRatio: 1e9 })).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
    });
  });

  it('extractTarGz(archive, destination, { maxEntries }) caps the entry count (MAX_TAR_ENTRIES)', async () => {
    const path = archive(createTarGz(['a', 'b', 'c'].map((name) => ({ path: name, data: name }))));
    await expect(extractTarGz(path, temp(), { maxEntries: 2 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'MAX_TAR_ENTRIES',
      message: expect.stringMatching(/more than 2 entries/),
    });
    await expect(extractTarGz(path, temp(), { maxEntries: 3 })).resolves.toMatchObject({
      files: ['a', 'b', 'c'],
    });
  });

  it('extractTarGz(archive, destination) throws XLING_FILE_FORMAT for a pax size that is not a byte count', async () => {
    const path = archive(createTarGz([{ path: 'a.txt', data: 'x', pax: { size: '-5' } }]));
    await expect(extractTarGz(path, temp())).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'tar-pax',
    });
  });
});

describe('extractTarGz ordinary faults', () => {
  it.each([
    [
      'a file, then an entry under it',
      [
        { path: 'a', data: 'file' },
        { path: 'a/b', data: 'x' },
      ],
      'a/b',
    ],
    [
      'a file, then a folder of its name',
      [
        { path: 'a', data: 'file' },
        { path: 'a/', type: 'directory' as const },
      ],
      'a/',
    ],
    [
      'a folder, then a file of its name',
      [
        { path: 'a/b', data: 'x' },
        { path: 'a', data: 'file' },
      ],
      'a',
    ],
  ])(
    'extractTarGz(archive, destination) throws tar-path-clash for %s and leaves no .tmp',
    async (_, entries, entry) => {
      const path = archive(createTarGz(entries));
      const destination = temp();
      await expect(extractTarGz(path, destination)).rejects.toMatchObject({
        code: 'XLING_FILE_FORMAT',
        ruleId: 'tar-path-clash',
        file: path,
        message: expect.stringContaining(`entry '${entry}'`),
      });
      expect(tree(destination).filter((p) => p.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('extractTarGz(archive, destination) sweeps the temporary files of killed extractions, and only those', async () => {
    const destination = temp();
    mkdirSync(join(destination, 'top'));
    const dead = 2 ** 30; // above any pid_max: no such process
    const stale = [`.a.txt.xling-tar-${dead}-0123abcd.tmp`, `top/.b.txt.xling-tar-${dead}-89abcdef.tmp`];
    const kept = [
      `.c.txt.xling-tar-${process.pid}-0123abcd.tmp`,
      '.other.tmp',
      'top/.b.txt.1234.0123abcd.tmp',
    ];
    for (const name of [...stale, ...kept]) writeFileSync(join(destination, name), 'partial');
    const path = archive(createTarGz([{ path: 'top/b.txt', data: 'b' }]));
    await extractTarGz(path, destination);
    expect(tree(destination)).toEqual([...kept, 'top', 'top/b.txt'].sort());
  });

  it('extractTarGz(archive, destination) throws XLING_FILE_SYSTEM for a missing archive or a destination that is a file', async () => {
    const dir = temp();
    await expect(extractTarGz(join(dir, 'missing.tgz'), dir)).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      systemCode: 'ENOENT',
      path: join(dir, 'missing.tgz'),
    });
    const path = archive(createTarGz([{ path: 'a.txt', data: 'a' }]));
    writeFileSync(join(dir, 'file'), '');
    await expect(extractTarGz(path, join(dir, 'file'))).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      path: join(dir, 'file'),
    });
  });
});
