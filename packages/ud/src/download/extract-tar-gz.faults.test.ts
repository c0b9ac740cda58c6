import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractTarGz } from './extract-tar-gz.js';
import { createTarGz } from '@xling/core/testing';

/** `open` of the real module, except that a file handle opened while `full` is set cannot write. */
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    if (!disk.full) return handle;
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    return Object.assign(Object.create(handle), { write: async () => Promise.reject(error) });
  };
  return { ...real, open };
});

const temps: string[] = [];
afterEach(() => {
  disk.full = false;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('extractTarGz on a full disk', () => {
  it('extractTarGz(archive, destination) throws XLING_FILE_SYSTEM (ENOSPC) naming the file and leaves no .tmp', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xling-tar-full-'));
    temps.push(dir);
    const path = join(dir, 'a.tgz');
    writeFileSync(path, createTarGz([{ path: 'out/a.txt', data: 'alpha' }]));
    disk.full = true;
    await expect(extractTarGz(path, join(dir, 'x'))).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      systemCode: 'ENOSPC',
      path: expect.stringMatching(/x\/out\/\.a\.txt\.xling-tar-\d+-[0-9a-f]{8}\.tmp$/),
      message: expect.stringMatching(/^Cannot write '.*': the disk is full/),
    });
    expect(readdirSync(join(dir, 'x', 'out'))).toEqual([]);
  });
});
