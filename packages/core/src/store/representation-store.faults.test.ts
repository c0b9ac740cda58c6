import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RepresentationStore } from './representation-store.js';

/** Paths matching `pattern` fail to open with errno `code`, as on a full or read-only disk. */
const fault = vi.hoisted(() => ({ pattern: /$^/, code: '' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  // biome-ignore lint/suspicious/noExplicitAny: wraps functions of several signatures
  const failing = <F extends (path: any, ...rest: any[]) => Promise<any>>(fn: F, syscall: string): F =>
    (async (path: unknown, ...rest: unknown[]) => {
      if (fault.pattern.test(String(path))) {
        throw Object.assign(new Error(`${fault.code}: ${syscall} '${path}'`), {
          code: fault.code,
          syscall,
          path: String(path),
        });
      }
      return fn(path, ...rest);
    }) as F;
  const open = failing(actual.open, 'open');
  const writeFile = failing(actual.writeFile, 'open');
  return { ...actual, default: { ...actual, open, writeFile }, open, writeFile };
});

const key = { model: 'm', layer: 1, pooling: 'first', treebank: 'T', split: 'dev' };
const tensors = { words: { dtype: 'F32' as const, shape: [1, 2], data: new Float32Array(2) } };
let dir: string;

afterEach(async () => {
  fault.pattern = /$^/;
  await rm(dir, { recursive: true, force: true });
});

describe('RepresentationStore on a full or read-only disk', () => {
  it('appendShard(key) throws XLING_FILE_SYSTEM naming the shard on ENOSPC, and the entry stays resumable', async () => {
    dir = await mkdtemp(join(tmpdir(), 'xling-store-fault-'));
    const store = await RepresentationStore.open(dir);
    await store.begin(key, 'fp');
    fault.pattern = /shard-00000\.safetensors/;
    fault.code = 'ENOSPC';
    const shard = join(dir, 'm', 'L1-first', 'T', 'dev', 'shard-00000.safetensors');
    await expect(store.appendShard(key, tensors, 1)).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      systemCode: 'ENOSPC',
      message: `Cannot write the store shard '${shard}': the disk is full; free space (or point the output elsewhere) and rerun: finished work is kept (ENOSPC).`,
    });
    expect(store.entry(key)!.shards).toEqual([]);
    fault.pattern = /$^/;
    await store.appendShard(key, tensors, 1);
    await store.complete(key);
    expect((await store.read(key)).words.shape).toEqual([1, 2]);
  });

  it('begin(key) throws XLING_FILE_SYSTEM naming the manifest on EROFS', async () => {
    dir = await mkdtemp(join(tmpdir(), 'xling-store-fault-'));
    const store = await RepresentationStore.open(dir);
    fault.pattern = /manifest\.json/;
    fault.code = 'EROFS';
    await expect(store.begin(key, 'fp')).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      message: expect.stringMatching(
        /^Cannot write the store manifest '.*manifest\.json': the file system is read-only/,
      ),
    });
    // The failed writer released its lock and left no temporary file.
    expect(await readdir(dir)).toEqual([]);
  });

  it('begin(key) throws XLING_FILE_SYSTEM when the lock file cannot be created', async () => {
    dir = await mkdtemp(join(tmpdir(), 'xling-store-fault-'));
    const store = await RepresentationStore.open(dir);
    fault.pattern = /writer\.lock/;
    fault.code = 'EACCES';
    await expect(store.begin(key, 'fp')).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      message: expect.stringMatching(/^Cannot create the lock file '.*writer\.lock': permission denied/),
    });
  });
});
