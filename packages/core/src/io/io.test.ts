import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLines } from './read-lines.js';
import { writeFileAtomic } from './write-file-atomic.js';

describe('io', () => {
  it('writeFileAtomic(path, data) replaces the file whole and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-io-'));
    const path = join(dir, 'sub', 'out.txt');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'sub'))).toEqual(['out.txt']);
  });

  it('readLines(path) reads plain and gzipped files alike', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-io-'));
    await writeFile(join(dir, 'a.txt'), 'x\ny\n');
    await writeFile(join(dir, 'a.txt.gz'), gzipSync('x\ny\n'));
    for (const name of ['a.txt', 'a.txt.gz']) {
      const lines: string[] = [];
      for await (const line of readLines(join(dir, name))) lines.push(line);
      expect(lines).toEqual(['x', 'y']);
    }
  });

  it('readLines(path) rejects with ENOENT for a missing file', async () => {
    const lines = readLines('/nonexistent/xling/file.txt');
    await expect(lines.next()).rejects.toThrow(/ENOENT/);
  });
});
