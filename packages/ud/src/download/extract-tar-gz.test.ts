import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractTarGz } from './extract-tar-gz.js';
import { createTar, createTarGz } from './test-helpers.js';

const temp = () => mkdtempSync(join(tmpdir(), 'xling-tar-'));
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

  it('extractTarGz(archive, destination) refuses entries outside the destination (tar-unsafe-path)', async () => {
    const base = temp();
    const destination = join(base, 'out');
    const path = archive(createTarGz([{ path: '../escape.txt', data: 'bad' }]));
    await expect(extractTarGz(path, destination)).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'tar-unsafe-path',
    });
    expect(existsSync(join(base, 'escape.txt'))).toBe(false);
    const absolute = archive(createTarGz([{ path: '/xling-absolute.txt', data: 'bad' }]));
    await expect(extractTarGz(absolute, destination)).rejects.toMatchObject({ ruleId: 'tar-unsafe-path' });
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
