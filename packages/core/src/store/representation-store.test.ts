import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepresentationStore } from './representation-store.js';
import type { Tensor } from './tensor.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A complete entry of `key` with two shards (2 and 50 rows) in a fresh store. */
async function completeStore(k = key): Promise<RepresentationStore> {
  const store = await RepresentationStore.open(await tempDir());
  await store.begin(k, 'fp1');
  await store.appendShard(k, shard(2, 0), 1);
  await store.appendShard(k, shard(50, 2), 1);
  await store.complete(k);
  return store;
}

/** The manifest as tests edit it: the recorded shape, loosely typed to allow hostile values. */
interface LooseManifest {
  entries: Array<{
    folder: string;
    shards: Array<Record<string, unknown> & { rows: Record<string, number> }>;
  }>;
}

async function editManifest(dir: string, edit: (manifest: LooseManifest) => void): Promise<void> {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  edit(manifest);
  await writeFile(path, JSON.stringify(manifest));
}

const key = { model: 'tiny/bert', layer: 2, pooling: 'first', treebank: 'UD_English-EWT', split: 'dev' };

function shard(rows: number, start: number): Record<string, Tensor> {
  const data = new Float32Array(rows * 3).map((_, i) => start * 3 + i);
  return {
    words: { dtype: 'F32', shape: [rows, 3], data },
    counts: { dtype: 'I32', shape: [1], data: new Int32Array([rows]) },
  };
}

describe('RepresentationStore', () => {
  it('begin/appendShard/complete/read concatenates shards along the first axis', async () => {
    const dir = await tempDir();
    const store = await RepresentationStore.open(dir);
    await store.begin(key, 'fp1', { dim: 3 });
    await store.appendShard(key, shard(2, 0), 1);
    await store.appendShard(key, shard(3, 2), 1);
    expect(store.isComplete(key)).toBe(false);
    await expect(store.read(key)).rejects.toThrow(
      expect.objectContaining({ code: 'XLING_STORE_INCOMPLETE' }),
    );
    await store.complete(key, { sentences: 2 });
    const all = await store.read(key);
    expect(all.words.shape).toEqual([5, 3]);
    expect(Array.from(all.words.data as Float32Array)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(Array.from(all.counts.data as Int32Array)).toEqual([2, 3]);

    const reopened = await RepresentationStore.open(dir);
    expect(reopened.isComplete(key)).toBe(true);
    expect(reopened.entry(key)?.info).toEqual({ dim: 3, sentences: 2 });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.entries[0].folder).toBe('tiny_bert/L2-first/UD_English-EWT/dev');
  });

  it('begin(key) resumes a partial entry after reopening, keeping finished shards', async () => {
    const dir = await tempDir();
    const first = await RepresentationStore.open(dir);
    await first.begin(key, 'fp1');
    await first.appendShard(key, shard(2, 0), 1);
    const second = await RepresentationStore.open(dir);
    const entry = await second.begin(key, 'fp1');
    expect(entry.shards.length).toBe(1);
    await second.appendShard(key, shard(1, 2), 1);
    await second.complete(key);
    expect((await second.read(key)).words.shape).toEqual([3, 3]);
  });

  it('begin(key, fingerprint) throws XLING_STORE_MISMATCH for another model fingerprint', async () => {
    const dir = await tempDir();
    const store = await RepresentationStore.open(dir);
    await store.begin(key, 'fp1');
    await expect(store.begin(key, 'fp2')).rejects.toThrow(/fingerprint fp1, but the current model has fp2/);
  });

  it('open(dir) throws XLING_FILE_FORMAT for a foreign manifest', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'manifest.json'), '{"format":"other"}');
    await expect(RepresentationStore.open(dir)).rejects.toThrow(
      expect.objectContaining({ code: 'XLING_FILE_FORMAT' }),
    );
    await writeFile(join(dir, 'manifest.json'), '{oops');
    await expect(RepresentationStore.open(dir)).rejects.toThrow(/manifest\.json:0:0: not valid JSON/);
  });
});

describe('RepresentationStore integrity', () => {
  it('appendShard(key, tensors) records the size and SHA-256 of each shard file', async () => {
    const store = await completeStore();
    for (const record of store.entry(key)!.shards) {
      const bytes = await readFile(join(store.dir, store.entry(key)!.folder, record.file));
      expect(record.bytes).toBe(bytes.length);
      expect(record.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('read(key) throws XLING_STORE_CORRUPT naming the shard and the repair when 100 bytes are flipped', async () => {
    const store = await completeStore();
    const path = join(store.dir, store.entry(key)!.folder, 'shard-00001.safetensors');
    const bytes = await readFile(path);
    for (let i = bytes.length - 100; i < bytes.length; i++) bytes[i] ^= 0xff;
    await writeFile(path, bytes);
    const reopened = await RepresentationStore.open(store.dir);
    await expect(reopened.read(key)).rejects.toThrow(
      expect.objectContaining({
        code: 'XLING_STORE_CORRUPT',
        message: expect.stringMatching(
          /^Store shard '.*shard-00001\.safetensors' of tiny\/bert layer 2 \(first\) UD_English-EWT\/dev is corrupt: its SHA-256 is [0-9a-f]{64}, but the manifest recorded [0-9a-f]{64}\. Re-extract the entry: delete the folder '.*tiny_bert\/L2-first\/UD_English-EWT\/dev' and rerun the extraction/,
        ),
      }),
    );
    await writeFile(path, bytes.subarray(0, 100));
    await expect(reopened.read(key)).rejects.toThrow(
      /is corrupt: it holds 100 bytes, but the manifest recorded \d+/,
    );
  });

  it('read(key) of a manifest without checksums checks the header and the recorded rows', async () => {
    const store = await completeStore();
    await editManifest(store.dir, (m) => {
      for (const record of m.entries[0].shards) {
        delete record.sha256;
        delete record.bytes;
      }
    });
    const old = await RepresentationStore.open(store.dir);
    expect((await old.read(key)).words.shape).toEqual([52, 3]);

    await editManifest(store.dir, (m) => {
      m.entries[0].shards[1].rows.words = 7;
    });
    await expect((await RepresentationStore.open(store.dir)).read(key)).rejects.toMatchObject({
      code: 'XLING_STORE_CORRUPT',
      message: expect.stringMatching(/tensor 'words' has 50 rows, but the manifest recorded 7/),
    });
    const path = join(store.dir, store.entry(key)!.folder, 'shard-00000.safetensors');
    const bytes = await readFile(path);
    bytes[8] = 0x5b; // '[': the header is no longer a JSON object
    await writeFile(path, bytes);
    await expect((await RepresentationStore.open(store.dir)).read(key)).rejects.toMatchObject({
      code: 'XLING_STORE_CORRUPT',
      message: expect.stringMatching(/shard-00000\.safetensors' .* is corrupt: header is not valid JSON/),
    });
  });

  it('read(key) throws XLING_STORE_INCOMPLETE naming a shard deleted from a complete entry', async () => {
    const store = await completeStore();
    const path = join(store.dir, store.entry(key)!.folder, 'shard-00000.safetensors');
    await rm(path);
    await expect(store.read(key)).rejects.toMatchObject({
      code: 'XLING_STORE_INCOMPLETE',
      message: expect.stringContaining(
        `Store shard '${path}' of tiny/bert layer 2 (first) UD_English-EWT/dev is missing. Re-extract the entry: delete the folder`,
      ),
    });
  });

  it('open(dir) turns a complete entry whose folder was deleted into an empty partial one', async () => {
    const store = await completeStore();
    await rm(join(store.dir, store.entry(key)!.folder), { recursive: true });
    const reopened = await RepresentationStore.open(store.dir);
    expect(reopened.entry(key)).toMatchObject({ status: 'partial', shards: [] });
    await reopened.begin(key, 'fp1');
    await reopened.appendShard(key, shard(1, 0), 1);
    await reopened.complete(key);
    expect((await reopened.read(key)).words.shape).toEqual([1, 3]);
  });
});

describe('RepresentationStore paths', () => {
  it.each(['..', '../x', '.', '', '.hidden', '../../etc'])(
    'begin(key) with model %j stays inside the store',
    async (model) => {
      const dir = await tempDir();
      const store = await RepresentationStore.open(join(dir, 'store'));
      const k = { ...key, model, treebank: '..', split: '../..' };
      if (model === '') {
        await expect(store.begin(k, 'fp')).rejects.toThrow(/'key\.model' .* must be a non-empty string/);
        return;
      }
      await store.begin(k, 'fp');
      await store.appendShard(k, shard(1, 0), 1);
      await store.complete(k);
      const folder = store.entry(k)!.folder;
      for (const part of folder.split('/')) expect(part).toMatch(/^[^.]/);
      expect(await readdir(dir)).toEqual(['store']);
      expect((await store.read(k)).words.shape).toEqual([1, 3]);
    },
  );

  it('begin(key) gives keys whose names collide distinct folders', async () => {
    const store = await RepresentationStore.open(await tempDir());
    await store.begin({ ...key, model: 'a/b' }, 'fp');
    await store.begin({ ...key, model: 'a_b' }, 'fp');
    expect(store.list().map((e) => e.folder)).toEqual([
      'a_b/L2-first/UD_English-EWT/dev',
      'a_b/L2-first/UD_English-EWT/dev-2',
    ]);
    await store.close();
  });

  it('read(key) throws XLING_UNSAFE_PATH for a manifest folder or shard name leading outside', async () => {
    const store = await completeStore();
    await editManifest(store.dir, (m) => {
      m.entries[0].shards[0].file = '../../../../escape.safetensors';
    });
    await expect((await RepresentationStore.open(store.dir)).read(key)).rejects.toMatchObject({
      code: 'XLING_UNSAFE_PATH',
    });
    await editManifest(store.dir, (m) => {
      m.entries[0].folder = '../outside';
    });
    await expect(RepresentationStore.open(store.dir)).rejects.toMatchObject({ code: 'XLING_UNSAFE_PATH' });
  });

  it.each([
    ['[null]', /entries\[0\] must be an object/],
    ['[{"key":{"model":1}}]', /entries\[0\] key\.model must be a string/],
    [
      '[{"key":{"model":"m","pooling":"p","treebank":"t","split":"s","layer":-1}}]',
      /key\.layer must be a non-negative integer/,
    ],
  ])('open(dir) throws XLING_FILE_FORMAT for the malformed entries %s', async (entries, message) => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'manifest.json'),
      `{"format":"xling-representation-store","version":1,"entries":${entries}}`,
    );
    await expect(RepresentationStore.open(dir)).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      message: expect.stringMatching(message),
    });
  });
});

describe('RepresentationStore writer lock', () => {
  it('open(dir, options) throws XLING_INVALID_ARGUMENT for a bad lockTimeoutMs', async () => {
    await expect(RepresentationStore.open(await tempDir(), { lockTimeoutMs: -1 })).rejects.toThrow(
      /'options\.lockTimeoutMs' passed to 'RepresentationStore\.open' must be an integer >= 0, but got -1/,
    );
  });

  it('begin(key) takes writer.lock; complete(key) releases it once nothing is left to write', async () => {
    const store = await RepresentationStore.open(await tempDir());
    const lock = join(store.dir, 'writer.lock');
    const other = { ...key, layer: 3 };
    await store.begin(key, 'fp1');
    await store.begin(other, 'fp1');
    expect(JSON.parse(await readFile(lock, 'utf8')).pid).toBe(process.pid);
    await store.complete(key);
    expect(existsSync(lock)).toBe(true);
    await store.complete(other);
    expect(existsSync(lock)).toBe(false);
    await store.begin({ ...key, layer: 4 }, 'fp1');
    await store.close();
    expect(existsSync(lock)).toBe(false);
  });

  it('begin(key) removes temporary files of other processes and unrecorded shards, and keeps its own', async () => {
    const store = await RepresentationStore.open(await tempDir());
    await store.begin(key, 'fp1');
    await store.appendShard(key, shard(1, 0), 1);
    const folder = join(store.dir, store.entry(key)!.folder);
    const own = `.shard-00001.safetensors.${process.pid}.0123abcd.tmp`;
    await writeFile(join(folder, own), 'in flight');
    await writeFile(join(folder, '.shard-00001.safetensors.999999.0123abcd.tmp'), 'killed');
    await writeFile(join(folder, 'shard-00001.safetensors'), 'unrecorded');
    await writeFile(join(store.dir, '.manifest.json.999999.0123abcd.tmp'), 'killed');
    await store.close();
    await store.begin(key, 'fp1');
    expect((await readdir(folder)).sort()).toEqual([own, 'shard-00000.safetensors']);
    expect(await readdir(store.dir)).not.toContain('.manifest.json.999999.0123abcd.tmp');
    await store.close();
  });
});
