import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepresentationStore } from './representation-store.js';
import type { Tensor } from './tensor.js';

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
    const dir = await mkdtemp(join(tmpdir(), 'xling-store-'));
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
    const dir = await mkdtemp(join(tmpdir(), 'xling-store-'));
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
    const dir = await mkdtemp(join(tmpdir(), 'xling-store-'));
    const store = await RepresentationStore.open(dir);
    await store.begin(key, 'fp1');
    await expect(store.begin(key, 'fp2')).rejects.toThrow(/fingerprint fp1, but the current model has fp2/);
  });

  it('open(dir) throws XLING_FILE_FORMAT for a foreign manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-store-'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'manifest.json'), '{"format":"other"}');
    await expect(RepresentationStore.open(dir)).rejects.toThrow(
      expect.objectContaining({ code: 'XLING_FILE_FORMAT' }),
    );
    await writeFile(join(dir, 'manifest.json'), '{oops');
    await expect(RepresentationStore.open(dir)).rejects.toThrow(/manifest\.json:0:0: not valid JSON/);
  });
});
