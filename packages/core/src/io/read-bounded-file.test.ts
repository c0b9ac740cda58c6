import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoundedFile } from './read-bounded-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xling-bounded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readBoundedFile(path, maxBytes, limitName)', () => {
  it('reads a regular file within the limit', async () => {
    await writeFile(join(dir, 'a.json'), '{"a":1}');
    expect((await readBoundedFile(join(dir, 'a.json'), 7, 'max')).toString()).toBe('{"a":1}');
  });

  it('refuses a file over the limit before reading it', async () => {
    await writeFile(join(dir, 'big.json'), 'x'.repeat(100));
    await expect(readBoundedFile(join(dir, 'big.json'), 99, 'maxConfigBytes')).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      message: expect.stringMatching(/big\.json: the file has 100 bytes \(limit maxConfigBytes = 99\)/),
    });
  });

  it('refuses a device (through a symlink) and a folder without reading', async () => {
    await symlink('/dev/zero', join(dir, 'zero.json'));
    await expect(readBoundedFile(join(dir, 'zero.json'), 1 << 20, 'max')).rejects.toMatchObject({
      code: 'XLING_FILE_NOT_REGULAR',
    });
    await expect(readBoundedFile(dir, 1 << 20, 'max')).rejects.toMatchObject({
      code: 'XLING_FILE_NOT_REGULAR',
    });
  });

  it('refuses a FIFO without waiting for a writer', { timeout: 5000 }, async () => {
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    await expect(readBoundedFile(fifo, 1 << 20, 'max')).rejects.toMatchObject({
      code: 'XLING_FILE_NOT_REGULAR',
    });
  });

  it('reports a missing file as a file-system fault with its path', async () => {
    await expect(readBoundedFile(join(dir, 'none.json'), 10, 'max')).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      message: expect.stringContaining('none.json'),
    });
  });
});
