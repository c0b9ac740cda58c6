import { mkdtemp, readFile, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepresentationStore } from './representation-store.js';
import type { Tensor } from './tensor.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-adopt-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const key = (layer: number) => ({ model: 'm', layer, pooling: 'mean', treebank: 'UD_X-Y', split: 'test' });

function shard(rows: number, start: number): Record<string, Tensor> {
  const data = new Float32Array(rows * 3).map((_, i) => start + i / 7);
  return { words: { dtype: 'F32', shape: [rows, 3], data } };
}

/** Writes layers `layers` of the same data into `store`, shard by shard, layers interleaved. */
async function extract(store: RepresentationStore, layers: number[], fingerprint = 'fp'): Promise<void> {
  for (const layer of layers) await store.begin(key(layer), fingerprint, { dim: 3 });
  for (const [i, rows] of [2, 5].entries())
    for (const layer of layers) await store.appendShard(key(layer), shard(rows, 10 * layer + i), 1);
  for (const layer of layers) await store.complete(key(layer), { stored: 2 });
}

describe('RepresentationStore.adopt', () => {
  it('gives the bytes and manifest one writer gives, with linked files and one manifest save', async () => {
    const single = await RepresentationStore.open(await tempDir());
    await extract(single, [1, 2]);
    const unit = await RepresentationStore.open(await tempDir());
    await extract(unit, [1, 2]);
    const main = await RepresentationStore.open(await tempDir());
    const adopted = await main.adopt(unit, [key(1), key(2), key(3)]);
    expect(adopted).toEqual([key(1), key(2)]);
    expect(await readFile(join(main.dir, 'manifest.json'), 'utf8')).toBe(
      await readFile(join(single.dir, 'manifest.json'), 'utf8'),
    );
    const files = (await readdir(main.dir, { recursive: true }))
      .filter((f) => f.endsWith('.safetensors'))
      .sort();
    expect(files).toHaveLength(4);
    for (const file of files) {
      expect(await readFile(join(main.dir, file))).toEqual(await readFile(join(single.dir, file)));
      expect((await stat(join(main.dir, file))).nlink).toBe(2); // linked, not copied
    }
    // Reads check the carried checksums; the unit store can go.
    await rm(unit.dir, { recursive: true });
    expect((await main.read(key(2))).words.shape).toEqual([7, 3]);
  });

  it('skips entries held complete or partial elsewhere, replaces a partial one, and refuses another model', async () => {
    const unit = await RepresentationStore.open(await tempDir());
    await extract(unit, [1]);
    await unit.begin(key(2), 'fp');
    await unit.appendShard(key(2), shard(2, 0), 1);
    const main = await RepresentationStore.open(await tempDir());
    await main.begin(key(1), 'fp');
    // A partial entry with more shards than the unit's: none of its files may stay.
    for (const rows of [9, 8, 7]) await main.appendShard(key(1), shard(rows, 0), 1);
    await main.close();
    expect(await main.adopt(unit, [key(1), key(2)])).toEqual([key(1)]);
    expect(main.entry(key(1))?.shards.map((s) => s.sentences)).toEqual([1, 1]);
    expect((await readdir(join(main.dir, main.entry(key(1))!.folder))).sort()).toEqual([
      'shard-00000.safetensors',
      'shard-00001.safetensors',
    ]);
    expect((await main.read(key(1))).words.shape).toEqual([7, 3]);
    expect(main.isComplete(key(2))).toBe(false);
    expect(await main.adopt(unit, [key(1)])).toEqual([]);

    const other = await RepresentationStore.open(await tempDir());
    await other.begin(key(1), 'another');
    await other.close();
    await expect(other.adopt(unit, [key(1)])).rejects.toMatchObject({ code: 'XLING_STORE_MISMATCH' });
  });

  it('throws XLING_STORE_CORRUPT naming a unit shard of the wrong size, and records nothing', async () => {
    const unit = await RepresentationStore.open(await tempDir());
    await extract(unit, [1]);
    const file = join(unit.dir, unit.entry(key(1))!.folder, 'shard-00001.safetensors');
    await truncate(file, 10);
    const main = await RepresentationStore.open(await tempDir());
    const error = await main.adopt(unit, [key(1)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'XLING_STORE_CORRUPT' });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('holds 10 bytes');
    expect(main.entry(key(1))?.status ?? 'absent').not.toBe('complete');
    const reopened = await RepresentationStore.open(main.dir);
    expect(reopened.isComplete(key(1))).toBe(false);
  });
});
