import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '../errors/file-format-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { XlingError } from '../errors/xling-error.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import { shapeSize, type Tensor } from './tensor.js';

/** What identifies one set of stored representations. */
export interface RepresentationKey {
  /** Model name, e.g. `xling-mini-encoder` or `bert-base-multilingual-cased`. */
  model: string;
  /** Layer index (0 = embeddings). */
  layer: number;
  /** Sub-word to word pooling: `first`, `last`, `mean`, ... */
  pooling: string;
  /** Treebank name, e.g. `UD_English-EWT`. */
  treebank: string;
  /** Split: `train`, `dev` or `test`. */
  split: string;
}

/** One shard file of an entry. */
export interface ShardRecord {
  /** File name relative to the entry folder. */
  file: string;
  /** Sentences in this shard. */
  sentences: number;
  /** Rows (first-axis length) of each tensor in this shard. */
  rows: Record<string, number>;
}

/** Manifest record of one {@link RepresentationKey}. */
export interface StoreEntry {
  key: RepresentationKey;
  /** Folder of the shards, relative to the store root. */
  folder: string;
  /** `partial` while being written; `complete` once every sentence is in. */
  status: 'partial' | 'complete';
  /** Fingerprint of the model files that produced the entry (guards against mixing models). */
  fingerprint: string;
  shards: ShardRecord[];
  /** Free-form facts the writer wants kept (dimension, dtype, skipped sentences, ...). */
  info: Record<string, unknown>;
}

interface Manifest {
  format: 'xling-representation-store';
  version: 1;
  entries: StoreEntry[];
}

const MANIFEST = 'manifest.json';

function slug(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_');
}

function sameKey(a: RepresentationKey, b: RepresentationKey): boolean {
  return (
    a.model === b.model &&
    a.layer === b.layer &&
    a.pooling === b.pooling &&
    a.treebank === b.treebank &&
    a.split === b.split
  );
}

function describeKey(k: RepresentationKey): string {
  return `${k.model} layer ${k.layer} (${k.pooling}) ${k.treebank}/${k.split}`;
}

/**
 * A directory of safetensors shards plus a JSON manifest, keyed by (model, layer, pooling,
 * treebank, split). Every file is written atomically and the manifest is rewritten after each
 * shard, so an interrupted writer resumes from the last finished shard and a rerun skips
 * complete entries. Layout:
 *
 * ```
 * <dir>/manifest.json
 * <dir>/<model>/L<layer>-<pooling>/<treebank>/<split>/shard-00000.safetensors
 * ```
 *
 * Shard tensors are concatenated along their first axis by {@link RepresentationStore.read}, so
 * store per-sentence quantities as rows (e.g. word counts), not as running offsets.
 */
export class RepresentationStore {
  readonly dir: string;
  private manifest: Manifest;

  private constructor(dir: string, manifest: Manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /**
   * Opens (or creates) a store in `dir`.
   * @throws XLING_FILE_FORMAT when an existing manifest is unreadable.
   */
  static async open(dir: string): Promise<RepresentationStore> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, MANIFEST);
    if (!existsSync(path))
      return new RepresentationStore(dir, { format: 'xling-representation-store', version: 1, entries: [] });
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new FileFormatError({
        file: path,
        line: 0,
        column: 0,
        ruleId: 'store-manifest',
        reason: `not valid JSON: ${(error as Error).message}`,
      });
    }
    if (
      manifest.format !== 'xling-representation-store' ||
      manifest.version !== 1 ||
      !Array.isArray(manifest.entries)
    ) {
      throw new FileFormatError({
        file: path,
        line: 0,
        column: 0,
        ruleId: 'store-manifest',
        reason: `not an xling representation store manifest (format '${String(manifest.format)}', version ${String(manifest.version)})`,
      });
    }
    return new RepresentationStore(dir, manifest);
  }

  /** All entries, in the order they were created. */
  list(): readonly StoreEntry[] {
    return this.manifest.entries;
  }

  /** The entry of `key`, if any. */
  entry(key: RepresentationKey): StoreEntry | undefined {
    return this.manifest.entries.find((e) => sameKey(e.key, key));
  }

  /** Whether `key` is stored completely. */
  isComplete(key: RepresentationKey): boolean {
    return this.entry(key)?.status === 'complete';
  }

  /**
   * Starts (or resumes) writing `key` and returns its entry. A partial entry with the same
   * fingerprint is resumed as it is; `restart` drops its shards.
   * @throws XLING_STORE_MISMATCH when the entry was written from a model with another fingerprint.
   */
  async begin(
    key: RepresentationKey,
    fingerprint: string,
    info: Record<string, unknown> = {},
    options: { restart?: boolean } = {},
  ): Promise<StoreEntry> {
    if (!Number.isInteger(key.layer) || key.layer < 0) {
      throw new InvalidArgumentError(
        'key.layer',
        'RepresentationStore.begin',
        `must be a non-negative integer, but got ${key.layer}.`,
      );
    }
    let entry = this.entry(key);
    if (entry && entry.fingerprint !== fingerprint) {
      throw new XlingError(
        'XLING_STORE_MISMATCH',
        `Store '${this.dir}' holds ${describeKey(key)} from a model with fingerprint ${entry.fingerprint}, but the current model has ${fingerprint}. Use another store folder or remove that entry.`,
      );
    }
    if (entry && options.restart) {
      entry.shards = [];
      entry.status = 'partial';
    }
    if (!entry) {
      entry = {
        key: { ...key },
        folder: [
          slug(key.model),
          `L${key.layer}-${slug(key.pooling)}`,
          slug(key.treebank),
          slug(key.split),
        ].join('/'),
        status: 'partial',
        fingerprint,
        shards: [],
        info: {},
      };
      this.manifest.entries.push(entry);
    }
    entry.info = { ...entry.info, ...info };
    await this.save();
    return entry;
  }

  /**
   * Writes shard number `entry.shards.length` of `key` and records it. The shard file is in place
   * before the manifest names it, so a crash between the two only leaves a file that the next
   * run overwrites.
   * @throws XLING_INVALID_ARGUMENT for a key that was not begun or is complete.
   */
  async appendShard(
    key: RepresentationKey,
    tensors: Record<string, Tensor>,
    sentences: number,
  ): Promise<ShardRecord> {
    const entry = this.entry(key);
    if (!entry || entry.status === 'complete') {
      throw new InvalidArgumentError(
        'key',
        'RepresentationStore.appendShard',
        `must name an entry begun with 'begin' and not complete: ${describeKey(key)}.`,
      );
    }
    const file = `shard-${String(entry.shards.length).padStart(5, '0')}.safetensors`;
    const rows: Record<string, number> = {};
    for (const [name, t] of Object.entries(tensors)) rows[name] = t.shape[0] ?? 1;
    await writeSafetensors(join(this.dir, entry.folder, file), tensors, { key: JSON.stringify(entry.key) });
    const record = { file, sentences, rows };
    entry.shards.push(record);
    await this.save();
    return record;
  }

  /** Marks `key` complete, merging `info` into its facts. */
  async complete(key: RepresentationKey, info: Record<string, unknown> = {}): Promise<void> {
    const entry = this.entry(key);
    if (!entry)
      throw new InvalidArgumentError(
        'key',
        'RepresentationStore.complete',
        `must name a stored entry: ${describeKey(key)}.`,
      );
    entry.status = 'complete';
    entry.info = { ...entry.info, ...info };
    await this.save();
  }

  /** Yields the shards of `key` in order. */
  async *readShards(key: RepresentationKey): AsyncGenerator<Record<string, Tensor>> {
    const entry = this.requireEntry(key, 'readShards');
    for (const shard of entry.shards) {
      const { tensors } = await readSafetensors(join(this.dir, entry.folder, shard.file));
      yield tensors;
    }
  }

  /**
   * Reads all shards of a complete `key`, each tensor concatenated along its first axis.
   * @throws XLING_STORE_INCOMPLETE when the entry is missing or partial.
   */
  async read(key: RepresentationKey): Promise<Record<string, Tensor>> {
    const entry = this.requireEntry(key, 'read');
    if (entry.status !== 'complete') {
      throw new XlingError(
        'XLING_STORE_INCOMPLETE',
        `Store '${this.dir}' has only part of ${describeKey(key)} (${entry.shards.length} shards); finish the extraction first.`,
      );
    }
    const parts: Record<string, Tensor[]> = {};
    for await (const shard of this.readShards(key)) {
      for (const [name, t] of Object.entries(shard)) {
        parts[name] = parts[name] ?? [];
        parts[name].push(t);
      }
    }
    const out: Record<string, Tensor> = {};
    for (const [name, list] of Object.entries(parts)) out[name] = concatRows(list, name);
    return out;
  }

  private requireEntry(key: RepresentationKey, method: string): StoreEntry {
    const entry = this.entry(key);
    if (!entry) {
      throw new XlingError(
        'XLING_STORE_INCOMPLETE',
        `Store '${this.dir}' has no ${describeKey(key)} (asked by '${method}'); run the extraction first.`,
      );
    }
    return entry;
  }

  private async save(): Promise<void> {
    await writeFileAtomic(join(this.dir, MANIFEST), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }
}

function concatRows(list: Tensor[], name: string): Tensor {
  const first = list[0];
  const tail = first.shape.slice(1);
  let rows = 0;
  for (const t of list) {
    if (t.dtype !== first.dtype || t.shape.slice(1).join() !== tail.join()) {
      throw new XlingError(
        'XLING_STORE_MISMATCH',
        `Shards disagree on tensor '${name}': ${first.dtype}[${first.shape}] vs ${t.dtype}[${t.shape}].`,
      );
    }
    rows += t.shape[0] ?? 1;
  }
  const shape = [rows, ...tail];
  const Ctor = first.data.constructor as new (n: number) => Tensor['data'];
  const data = new Ctor(shapeSize(shape));
  let at = 0;
  for (const t of list) {
    (data as Float32Array).set(t.data as Float32Array, at);
    at += t.data.length;
  }
  return { dtype: first.dtype, shape, data } as Tensor;
}
