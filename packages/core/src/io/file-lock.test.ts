import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock } from './file-lock.js';

const options = { code: 'XLING_TEST_LOCKED', remedy: 'Wait.' };
let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xling-lock-'));
  path = join(dir, 'writer.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that surely belongs to no process: one that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

const holder = (pid: number, host = hostname()) =>
  JSON.stringify({ pid, hostname: host, startedAt: '2024-01-01T00:00:00.000Z', token: 'other' });

describe('acquireFileLock(path, options)', () => {
  it('writes pid, host, start time and token, and release() removes the file', async () => {
    const lock = await acquireFileLock(path, options);
    const content = JSON.parse(await readFile(path, 'utf8'));
    expect(content).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(content.token).toMatch(/^[0-9a-f]{16}$/);
    expect(Number.isNaN(Date.parse(content.startedAt))).toBe(false);
    await lock.release();
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('is shared inside one process: the file stays until the last release', async () => {
    const first = await acquireFileLock(path, options);
    const second = await acquireFileLock(path, options);
    await first.release();
    expect(existsSync(path)).toBe(true);
    await second.release();
    expect(existsSync(path)).toBe(false);
  });

  it('throws the given code naming the lock file and the holder when a live process holds it', async () => {
    await writeFile(path, holder(process.ppid));
    await expect(acquireFileLock(path, options)).rejects.toThrow(
      expect.objectContaining({
        code: 'XLING_TEST_LOCKED',
        message: `Lock file '${path}' is held by pid ${process.ppid} on host '${hostname()}' since 2024-01-01T00:00:00.000Z. Wait.`,
      }),
    );
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('other');
  });

  it('never takes over a lock of another host or an unreadable lock', async () => {
    await writeFile(path, holder(deadPid(), 'elsewhere'));
    await expect(acquireFileLock(path, options)).rejects.toThrow(/held by pid \d+ on host 'elsewhere'/);
    await writeFile(path, '');
    await expect(acquireFileLock(path, options)).rejects.toThrow(/held by a holder it does not name/);
  });

  it('takes over a stale lock whose process is gone on this host', async () => {
    await writeFile(path, holder(deadPid()));
    const lock = await acquireFileLock(path, options);
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('waits up to timeoutMs for a live holder to release the lock', async () => {
    await writeFile(path, holder(process.ppid));
    const waiting = acquireFileLock(path, { ...options, timeoutMs: 60_000, pollMs: 5 });
    await unlink(path);
    const lock = await waiting;
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('throws XLING_FILE_SYSTEM when the lock file cannot be created', async () => {
    await expect(acquireFileLock(join(dir, 'missing', 'writer.lock'), options)).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      message: expect.stringMatching(/^Cannot create the lock file '.*writer\.lock': no such file/),
    });
  });
});
