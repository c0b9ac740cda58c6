import { randomBytes } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileSystemError } from '../errors/file-system-error.js';
import { XlingError } from '../errors/xling-error.js';
import { isProcessAlive } from './process-alive.js';

/** What a lock file says about the process holding it. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time at which the lock was taken. */
  startedAt: string;
  /** Random id of this holding, so a release never removes a lock taken over by another. */
  token: string;
}

/** A held lock; {@link FileLock.release} is idempotent. */
export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Options of {@link acquireFileLock}. */
export interface FileLockOptions {
  /** Code of the error thrown when another process keeps the lock, e.g. `XLING_STORE_LOCKED`. */
  code: string;
  /** What to do about it, appended to the error message. */
  remedy: string;
  /**
   * How long to wait for a live holder to release the lock, in milliseconds; 0 fails at once.
   * @defaultValue `0`
   */
  timeoutMs?: number;
  /**
   * Pause between two attempts while waiting, in milliseconds.
   * @defaultValue `100`
   */
  pollMs?: number;
}

interface Holding {
  token: string;
  count: number;
}

// Shared through the global symbol registry so that two copies of @xling/core (ESM and CJS) in
// one process see the same holdings.
const HOLDINGS_KEY = Symbol.for('xling.file-locks');
const registry = globalThis as { [HOLDINGS_KEY]?: Map<string, Holding> };
registry[HOLDINGS_KEY] ??= new Map();
const holdings = registry[HOLDINGS_KEY];

function isLockHolder(value: unknown): value is LockHolder {
  const v = value as LockHolder;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isSafeInteger(v.pid) &&
    v.pid > 0 &&
    typeof v.hostname === 'string' &&
    typeof v.startedAt === 'string' &&
    typeof v.token === 'string'
  );
}

/** The holder named in the lock file; null when unreadable; undefined when the file is gone. */
async function readHolder(path: string): Promise<LockHolder | null | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw FileSystemError.from(error, 'read the lock file', path);
  }
  try {
    const holder: unknown = JSON.parse(text);
    return isLockHolder(holder) ? holder : null;
  } catch {
    return null;
  }
}

/**
 * A lock is stale when its process is gone: only knowable on the same host. A lock naming this
 * very process but not among its holdings was left by an earlier process that had the same pid.
 */
function isStale(holder: LockHolder): boolean {
  return holder.hostname === hostname() && (holder.pid === process.pid || !isProcessAlive(holder.pid));
}

function describeHolder(holder: LockHolder | null): string {
  return holder === null
    ? 'a holder it does not name (the file is unreadable)'
    : `pid ${holder.pid} on host '${holder.hostname}' since ${holder.startedAt}`;
}

/** Creates the lock file with O_EXCL; returns the current holder when it already exists. */
async function tryCreate(path: string, mine: LockHolder): Promise<LockHolder | null | undefined> {
  try {
    await writeFile(path, JSON.stringify(mine), { flag: 'wx' });
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw FileSystemError.from(error, 'create the lock file', path);
    }
  }
  const holder = await readHolder(path);
  // Released between the two calls: try again.
  return holder === undefined ? tryCreate(path, mine) : holder;
}

/**
 * Removes a stale lock file unless it changed since it was read. (Two processes breaking the same
 * stale lock at the same instant could still both proceed; a lock file cannot close that window.)
 */
async function breakLock(path: string, stale: LockHolder): Promise<void> {
  const current = await readHolder(path);
  if (current?.token !== stale.token) return;
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw FileSystemError.from(error, 'remove the stale lock file', path);
    }
  }
}

function handle(path: string, holding: Holding): FileLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      if (--holding.count > 0) return;
      holdings.delete(path);
      if ((await readHolder(path))?.token !== holding.token) return;
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw FileSystemError.from(error, 'remove the lock file', path);
      });
    },
  };
}

/**
 * Takes the lock file `path`, written with O_EXCL and holding pid, hostname, start time and a
 * token. A lock whose process is gone (same host) is taken over. While another live process
 * holds it, waits up to `timeoutMs`, then throws an `XlingError` with `code` naming the lock
 * file, the holder and `remedy`.
 *
 * The lock excludes other processes. Inside one process it is shared (reference-counted, one
 * {@link FileLock.release} per acquisition): the code of one process coordinates itself, and a
 * process that dropped a lock after an error must be able to take it again.
 *
 * @throws `code` when a live process keeps the lock; XLING_FILE_SYSTEM when the lock file cannot
 *   be written (read-only or full disk).
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<FileLock> {
  const { code, remedy, timeoutMs = 0, pollMs = 100 } = options;
  const absolute = resolve(path);
  const held = holdings.get(absolute);
  if (held) {
    held.count++;
    return handle(absolute, held);
  }
  const mine: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holder = await tryCreate(absolute, mine);
    if (holder === undefined) {
      const holding = { token: mine.token, count: 1 };
      holdings.set(absolute, holding);
      return handle(absolute, holding);
    }
    if (holder !== null && isStale(holder)) {
      await breakLock(absolute, holder);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new XlingError(
        code,
        `Lock file '${absolute}' is held by ${describeHolder(holder)}${timeoutMs > 0 ? ` (waited ${timeoutMs} ms)` : ''}. ${remedy}`,
      );
    }
    await sleep(Math.min(pollMs, left));
  }
}
