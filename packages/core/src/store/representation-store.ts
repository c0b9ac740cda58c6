import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '../errors/file-format-error.js';
import { FileSystemError } from '../errors/file-system-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { XlingError } from '../errors/xling-error.js';
import { type FileLock, acquireFileLock } from '../io/file-lock.js';
import { checkPlainName, resolveInside } from '../io/safe-path.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { checkOptions } from '../options/check-options.js';
import { openRegularFile, readBytesAt } from '../io/regular-file.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import {
  type Manifest,
  type RepresentationKey,
  type ShardRecord,
  type StoreEntry,
  describeKey,
  emptyManifest,
  entryFolderFor,
  parseManifest,
  sameKey,
} from './store-manifest.js';
import { shapeSize, type Tensor } from './tensor.js';

export type { RepresentationKey, ShardRecord, StoreEntry } from './store-manifest.js';

/** Options of {@link RepresentationStore.open}. */
export interface RepresentationStoreOptions {
  /**
   * How long a writer waits for another process that holds the store's writer lock, in
   * milliseconds; 0 fails at once with `XLING_STORE_LOCKED`.
   * @defaultValue `0`
   */
  lockTimeoutMs?: number;
}

const OPEN_CONSTRAINTS = { lockTimeoutMs: { type: 'integer', min: 0, optional: true } } as const;
const MANIFEST = 'manifest.json';
/** The writer lock file in the store root (see {@link RepresentationStore}). */
const LOCK_FILE = 'writer.lock';
const SHARD = /^shard-(\d+)\.safetensors$/;
/** Temporary file of `writeFileAtomic`: `.<name>.<pid>.<hex>.tmp`. */
const TEMP = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A directory of safetensors shards plus a JSON manifest, keyed by (model, layer, pooling,
 * treebank, split). Every file is written atomically and the manifest is rewritten after each
 * shard, so an interrupted writer resumes from the last finished shard and a rerun skips
 * complete entries. Layout:
 *
 * ```
 * <dir>/manifest.json
 * <dir>/writer.lock        (while a process writes)
 * <dir>/<model>/L<layer>-<pooling>/<treebank>/<split>/shard-00000.safetensors
 * ```
 *
 * Key parts become safe folder names (other characters and a leading dot become `_`), so no key
 * leads outside the store. The manifest records each shard's size and SHA-256, checked on every
 * read in the same pass that reads the bytes.
 *
 * One process writes at a time: the first of `begin`, `appendShard` and `complete` takes the
 * writer lock (`writer.lock`: pid, host, start time) and reloads the manifest; the lock is
 * released when every entry this instance began is complete, or by {@link close}. Another
 * process fails with `XLING_STORE_LOCKED` (or waits, with `lockTimeoutMs`); a lock left by a
 * killed process on the same host is taken over. Only the lock holder removes temporary and
 * unrecorded shard files, so concurrent runs never delete each other's files. Reading needs no
 * lock. Instances in one process share the lock: run one writer per store per process.
 *
 * Shard tensors are concatenated along their first axis by {@link RepresentationStore.read}, so
 * store per-sentence quantities as rows (e.g. word counts), not as running offsets.
 */
export class RepresentationStore {
  readonly dir: string;
  private manifest: Manifest;
  private readonly lockTimeoutMs: number;
  private lock: FileLock | undefined;
  /** Entries begun by this instance and not complete yet: the lock is held while any is. */
  private readonly writing = new Set<StoreEntry>();

  private constructor(dir: string, manifest: Manifest, options: RepresentationStoreOptions) {
    this.dir = dir;
    this.manifest = manifest;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 0;
  }

  /**
   * Opens (or creates) a store in `dir`. A complete entry whose folder was deleted becomes an
   * empty partial entry, so the next extraction writes it anew.
   * @throws XLING_INVALID_ARGUMENT for a bad `lockTimeoutMs`.
   * @throws XLING_FILE_FORMAT when an existing manifest is unreadable or malformed.
   * @throws XLING_FILE_SYSTEM when the folder cannot be created or read.
   */
  static async open(dir: string, options: RepresentationStoreOptions = {}): Promise<RepresentationStore> {
    checkOptions(options, OPEN_CONSTRAINTS, 'RepresentationStore.open');
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw FileSystemError.from(error, 'create the store folder', dir);
    }
    return new RepresentationStore(dir, await loadManifest(dir), options);
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
   * Starts (or resumes) writing `key` and returns its entry, taking the writer lock. A partial
   * entry with the same fingerprint is resumed as it is; `restart` drops its shards. Temporary
   * files and shards the manifest does not record (left by a killed writer) are removed.
   * @throws XLING_STORE_MISMATCH when the entry was written from a model with another fingerprint.
   * @throws XLING_STORE_LOCKED when another process is writing the store.
   */
  async begin(
    key: RepresentationKey,
    fingerprint: string,
    info: Record<string, unknown> = {},
    options: { restart?: boolean } = {},
  ): Promise<StoreEntry> {
    checkKey(key);
    await this.takeLock();
    try {
      let entry = this.entry(key);
      if (entry && entry.fingerprint !== fingerprint)
        throw mismatch(this.dir, key, entry.fingerprint, fingerprint);
      if (entry && options.restart) {
        entry.shards = [];
        entry.status = 'partial';
      }
      entry ??= this.addEntry(key, fingerprint);
      entry.info = { ...entry.info, ...info };
      await this.save();
      if (entry.status === 'partial') {
        await this.sweep(entry);
        this.writing.add(entry);
      }
      return entry;
    } finally {
      await this.releaseIfIdle();
    }
  }

  /**
   * Writes shard number `entry.shards.length` of `key` and records its size and SHA-256. The
   * shard file is in place before the manifest names it, so a crash between the two only leaves
   * a file that the next run removes.
   * @throws XLING_INVALID_ARGUMENT for a key that was not begun or is complete.
   * @throws XLING_FILE_SYSTEM naming the shard or manifest when the disk is full or read-only.
   */
  async appendShard(
    key: RepresentationKey,
    tensors: Record<string, Tensor>,
    sentences: number,
  ): Promise<ShardRecord> {
    await this.takeLock();
    const entry = this.entry(key);
    if (!entry || entry.status === 'complete') {
      await this.releaseIfIdle();
      throw new InvalidArgumentError(
        'key',
        'RepresentationStore.appendShard',
        `must name an entry begun with 'begin' and not complete: ${describeKey(key)}.`,
      );
    }
    this.writing.add(entry);
    const file = `shard-${String(entry.shards.length).padStart(5, '0')}.safetensors`;
    const rows: Record<string, number> = {};
    for (const [name, t] of Object.entries(tensors)) rows[name] = t.shape[0] ?? 1;
    const bytes = encodeSafetensors(tensors, { key: JSON.stringify(entry.key) });
    const path = this.shardPath(entry, file);
    try {
      await writeFileAtomic(path, bytes);
    } catch (error) {
      throw FileSystemError.from(error, 'write the store shard', path);
    }
    const record: ShardRecord = { file, sentences, rows, bytes: bytes.length, sha256: sha256(bytes) };
    entry.shards.push(record);
    await this.save();
    return record;
  }

  /** Marks `key` complete, merging `info` into its facts; releases the lock when nothing is left. */
  async complete(key: RepresentationKey, info: Record<string, unknown> = {}): Promise<void> {
    await this.takeLock();
    try {
      const entry = this.entry(key);
      if (!entry)
        throw new InvalidArgumentError(
          'key',
          'RepresentationStore.complete',
          `must name a stored entry: ${describeKey(key)}.`,
        );
      entry.status = 'complete';
      entry.info = { ...entry.info, ...info };
      this.writing.delete(entry);
      await this.save();
    } finally {
      await this.releaseIfIdle();
    }
  }

  /**
   * Takes over complete entries of `from`, another store (a shard's, on the same file system),
   * without reading or rewriting their bytes: each shard file is hard-linked (copied where links
   * are impossible) into this store's entry folder with the size and SHA-256 `from` recorded,
   * which every read checks, and the manifest is saved once. An entry of `keys` that `from` lacks
   * or holds partially, or that this store already holds complete, is skipped; a partial entry
   * here is replaced. The files are in place before the manifest names them, so a crash leaves
   * only unrecorded files, which the next writer removes. Returns the keys taken over.
   * @throws XLING_STORE_MISMATCH when this store holds a key from another model fingerprint.
   * @throws XLING_STORE_CORRUPT when a shard file of `from` is not the size it recorded.
   */
  async adopt(from: RepresentationStore, keys: readonly RepresentationKey[]): Promise<RepresentationKey[]> {
    await this.takeLock();
    try {
      const adopted: StoreEntry[] = [];
      for (const key of keys) {
        const source = from.entry(key);
        if (source?.status !== 'complete' || this.isComplete(key)) continue;
        const entry = this.entry(key) ?? this.addEntry(key, source.fingerprint);
        if (entry.fingerprint !== source.fingerprint)
          throw mismatch(this.dir, key, entry.fingerprint, source.fingerprint);
        if (entry.shards.length > 0) {
          // A partial entry here: forget its shards first, so no record names a replaced file.
          entry.shards = [];
          await this.save();
        }
        await mkdir(this.entryDir(entry), { recursive: true });
        for (const shard of source.shards)
          await linkFile(from.shardPath(source, shard.file), this.shardPath(entry, shard.file), shard, () =>
            from.repair(source),
          );
        entry.shards = source.shards.map((shard) => ({ ...shard }));
        entry.info = { ...entry.info, ...source.info };
        entry.status = 'complete';
        await this.sweep(entry); // shards of the replaced entry beyond the new ones
        adopted.push(entry);
      }
      if (adopted.length > 0) await this.save();
      return adopted.map((entry) => entry.key);
    } finally {
      await this.releaseIfIdle();
    }
  }

  /** Releases the writer lock, if this instance holds it (entries it began stay partial). */
  async close(): Promise<void> {
    this.writing.clear();
    await this.releaseIfIdle();
  }

  /**
   * Yields the shards of `key` in order, each checked against its recorded size and SHA-256
   * (manifests written before checksums: its safetensors header and recorded rows).
   * @throws XLING_STORE_CORRUPT naming the shard when it fails a check; the message says how to
   *   re-extract the entry.
   * @throws XLING_STORE_INCOMPLETE naming a shard file that is missing.
   */
  async *readShards(key: RepresentationKey): AsyncGenerator<Record<string, Tensor>> {
    const entry = this.requireEntry(key, 'readShards');
    for (const shard of entry.shards) yield await this.readShard(entry, shard);
  }

  /**
   * Reads all shards of a complete `key`, each tensor concatenated along its first axis.
   * @throws XLING_STORE_INCOMPLETE when the entry is missing or partial, or a shard is missing.
   * @throws XLING_STORE_CORRUPT when a shard fails its checksum or structure checks.
   */
  async read(key: RepresentationKey): Promise<Record<string, Tensor>> {
    const entry = this.requireEntry(key, 'read');
    if (entry.status !== 'complete') {
      throw new XlingError(
        'XLING_STORE_INCOMPLETE',
        `Store '${this.dir}' has only part of ${describeKey(key)} (${entry.shards.length} shards); finish the extraction first.`,
      );
    }
    const parts: Record<string, Tensor[]> = Object.create(null);
    for await (const shard of this.readShards(key)) {
      for (const [name, t] of Object.entries(shard)) {
        parts[name] = parts[name] ?? [];
        parts[name].push(t);
      }
    }
    return Object.fromEntries(Object.entries(parts).map(([name, list]) => [name, concatRows(list, name)]));
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

  /** A new empty partial entry of `key`, last in the manifest. */
  private addEntry(key: RepresentationKey, fingerprint: string): StoreEntry {
    const entry: StoreEntry = {
      key: { ...key },
      folder: entryFolderFor(key, this.manifest.entries),
      status: 'partial',
      fingerprint,
      shards: [],
      info: {},
    };
    this.manifest.entries.push(entry);
    return entry;
  }

  /** The entry's folder; refuses a manifest folder that leads outside the store. */
  private entryDir(entry: StoreEntry): string {
    return resolveInside(this.dir, entry.folder, `the folder of an entry in ${join(this.dir, MANIFEST)}`);
  }

  private shardPath(entry: StoreEntry, file: string): string {
    const dir = this.entryDir(entry);
    return join(dir, checkPlainName(file, dir, `a shard name in ${join(this.dir, MANIFEST)}`));
  }

  private async readShard(entry: StoreEntry, shard: ShardRecord): Promise<Record<string, Tensor>> {
    const path = this.shardPath(entry, shard.file);
    const damaged = (problem: string, cause?: unknown) =>
      new XlingError(
        'XLING_STORE_CORRUPT',
        `Store shard '${path}' of ${describeKey(entry.key)} is corrupt: ${problem}. ${this.repair(entry)}`,
        { cause },
      );
    let bytes: Uint8Array;
    try {
      bytes = await readShardBytes(path, shard.bytes);
    } catch (error) {
      if ((error as FileSystemError).systemCode === 'ENOENT') {
        throw new XlingError(
          'XLING_STORE_INCOMPLETE',
          `Store shard '${path}' of ${describeKey(entry.key)} is missing. ${this.repair(entry)}`,
          { cause: error },
        );
      }
      const { code } = error as XlingError;
      if (code !== 'XLING_FILE_FORMAT' && code !== 'XLING_FILE_NOT_REGULAR') throw error;
      throw damaged((error as FileFormatError).reason ?? (error as Error).message, error);
    }
    const actual = sha256(bytes);
    if (shard.sha256 !== undefined && actual !== shard.sha256) {
      throw damaged(`its SHA-256 is ${actual}, but the manifest recorded ${shard.sha256}`);
    }
    let tensors: Record<string, Tensor>;
    try {
      ({ tensors } = decodeSafetensors(bytes, path));
    } catch (error) {
      throw damaged((error as FileFormatError).reason ?? (error as Error).message, error);
    }
    const problem = rowsProblem(tensors, shard.rows);
    if (problem !== undefined) throw damaged(problem);
    return tensors;
  }

  /** How to repair a damaged entry (in the messages of reads and adoptions). */
  private repair(entry: StoreEntry): string {
    return `Re-extract the entry: delete the folder '${this.entryDir(entry)}' and rerun the extraction (\`xling extract <config>\`, or extractHiddenStates); the store then writes the entry anew.`;
  }

  /** Takes the writer lock unless held; reloads the manifest another writer may have changed. */
  private async takeLock(): Promise<void> {
    if (this.lock) return;
    const lock = await acquireFileLock(join(this.dir, LOCK_FILE), {
      code: 'XLING_STORE_LOCKED',
      remedy: `Another process is writing the representation store '${this.dir}': wait for it to finish and rerun (RepresentationStore.open takes lockTimeoutMs to wait). If no such process runs any more, delete the lock file.`,
      timeoutMs: this.lockTimeoutMs,
    });
    try {
      this.manifest = await loadManifest(this.dir);
    } catch (error) {
      await lock.release();
      throw error;
    }
    this.lock = lock;
  }

  private async releaseIfIdle(): Promise<void> {
    if (this.lock === undefined || this.writing.size > 0) return;
    const lock = this.lock;
    this.lock = undefined;
    await lock.release();
  }

  /**
   * Removes what a killed writer can leave: temporary files of other processes (in the store
   * root and the entry folder) and shards the manifest does not record. Runs under the lock, so
   * no live writer of another process owns them.
   */
  private async sweep(entry: StoreEntry): Promise<void> {
    const foreignTemp = (name: string): boolean => {
      const temp = TEMP.exec(name);
      return temp !== null && Number(temp[1]) !== process.pid;
    };
    await removeWhere(this.dir, (name) => name.startsWith(`.${MANIFEST}.`) && foreignTemp(name));
    await removeWhere(
      this.entryDir(entry),
      (name) => foreignTemp(name) || Number(SHARD.exec(name)?.[1] ?? -1) >= entry.shards.length,
    );
  }

  private async save(): Promise<void> {
    const path = join(this.dir, MANIFEST);
    try {
      await writeFileAtomic(path, `${JSON.stringify(this.manifest, null, 2)}\n`);
    } catch (error) {
      throw FileSystemError.from(error, 'write the store manifest', path);
    }
  }
}

function mismatch(dir: string, key: RepresentationKey, stored: string, current: string): XlingError {
  return new XlingError(
    'XLING_STORE_MISMATCH',
    `Store '${dir}' holds ${describeKey(key)} from a model with fingerprint ${stored}, but the current model has ${current}. Use another store folder or remove that entry.`,
  );
}

/**
 * Puts the shard file `from` at `to` as a hard link (a copy across file systems, or where the file
 * system has no links), replacing what is there; first checks its size against the record.
 */
async function linkFile(from: string, to: string, shard: ShardRecord, repair: () => string): Promise<void> {
  let size: number;
  try {
    size = (await stat(from)).size;
  } catch (error) {
    throw FileSystemError.from(error, 'read the store shard', from);
  }
  if (shard.bytes !== undefined && size !== shard.bytes) {
    throw new XlingError(
      'XLING_STORE_CORRUPT',
      `Store shard '${from}' is corrupt: it holds ${size} bytes, but the manifest recorded ${shard.bytes}. ${repair()}`,
    );
  }
  try {
    await rm(to, { force: true });
    await link(from, to).catch(async (error: NodeJS.ErrnoException) => {
      if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK'].includes(error.code ?? '')) throw error;
      await copyFile(from, to);
    });
  } catch (error) {
    throw FileSystemError.from(error, 'write the store shard', to);
  }
}

function checkKey(key: RepresentationKey): void {
  if (!Number.isInteger(key.layer) || key.layer < 0) {
    throw new InvalidArgumentError(
      'key.layer',
      'RepresentationStore.begin',
      `must be a non-negative integer, but got ${key.layer}.`,
    );
  }
  for (const part of ['model', 'pooling', 'treebank', 'split'] as const) {
    if (typeof key[part] !== 'string' || key[part] === '') {
      throw new InvalidArgumentError(
        `key.${part}`,
        'RepresentationStore.begin',
        `must be a non-empty string, but got ${JSON.stringify(key[part])}.`,
      );
    }
  }
}

/**
 * Reads the manifest of `dir` (an empty one when absent). A complete entry whose folder is gone
 * becomes an empty partial entry: deleting the folder is how a damaged entry is re-extracted.
 */
async function loadManifest(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return emptyManifest();
  const { handle, size } = await openRegularFile(path);
  let bytes: Uint8Array;
  try {
    bytes = await readBytesAt(handle, 0, size, path, 'safetensors');
  } finally {
    await handle.close();
  }
  const manifest = parseManifest(new TextDecoder().decode(bytes), path);
  for (const entry of manifest.entries) {
    if (entry.shards.length > 0 && !existsSync(resolveInside(dir, entry.folder, `the manifest ${path}`))) {
      entry.shards = [];
      entry.status = 'partial';
    }
  }
  return manifest;
}

/**
 * The bytes of shard `path`; with the recorded size `expected`, a file of another size fails
 * before it is read.
 */
async function readShardBytes(path: string, expected: number | undefined): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path);
  try {
    if (expected !== undefined && size !== expected) {
      throw new FileFormatError({
        file: path,
        line: 0,
        column: 0,
        ruleId: 'store-shard',
        reason: `it holds ${size} bytes, but the manifest recorded ${expected}`,
      });
    }
    return await readBytesAt(handle, 0, size, path, 'safetensors');
  } finally {
    await handle.close();
  }
}

async function removeWhere(folder: string, remove: (name: string) => boolean): Promise<void> {
  if (!existsSync(folder)) return;
  for (const name of await readdir(folder)) {
    if (!remove(name)) continue;
    try {
      await rm(join(folder, name), { force: true });
    } catch (error) {
      throw FileSystemError.from(error, 'remove the leftover file', join(folder, name));
    }
  }
}

/** What disagrees between a shard's tensors and the rows the manifest recorded, if anything. */
function rowsProblem(tensors: Record<string, Tensor>, rows: Record<string, number>): string | undefined {
  const names = Object.keys(tensors).sort();
  const recorded = Object.keys(rows).sort();
  if (names.join('\u0000') !== recorded.join('\u0000')) {
    return `it holds tensors [${names.join(', ')}], but the manifest recorded [${recorded.join(', ')}]`;
  }
  const wrong = names.find((name) => (tensors[name].shape[0] ?? 1) !== rows[name]);
  return wrong === undefined
    ? undefined
    : `tensor '${wrong}' has ${tensors[wrong].shape[0] ?? 1} rows, but the manifest recorded ${rows[wrong]}`;
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
