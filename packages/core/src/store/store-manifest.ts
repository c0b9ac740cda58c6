import { FileFormatError } from '../errors/file-format-error.js';

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
  /** Size of the file in bytes (absent in manifests written before checksums). */
  bytes?: number;
  /** Lowercase hex SHA-256 of the file (absent in manifests written before checksums). */
  sha256?: string;
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

export interface Manifest {
  format: 'xling-representation-store';
  version: 1;
  entries: StoreEntry[];
}

export function emptyManifest(): Manifest {
  return { format: 'xling-representation-store', version: 1, entries: [] };
}

export function sameKey(a: RepresentationKey, b: RepresentationKey): boolean {
  return (
    a.model === b.model &&
    a.layer === b.layer &&
    a.pooling === b.pooling &&
    a.treebank === b.treebank &&
    a.split === b.split
  );
}

export function describeKey(k: RepresentationKey): string {
  return `${k.model} layer ${k.layer} (${k.pooling}) ${k.treebank}/${k.split}`;
}

/**
 * One folder name made from a key part: runs of other characters than letters, digits, `.`, `_`
 * and `-` become `_`, and a leading dot becomes `_`, so the result is never empty, `.`, `..` or
 * hidden, and cannot leave the store.
 */
function folderPart(value: string): string {
  const part = value.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\./, '_');
  return part === '' ? '_' : part;
}

/**
 * The folder of a new entry for `key`, relative to the store root:
 * `<model>/L<layer>-<pooling>/<treebank>/<split>`, with `-2`, `-3`, ... appended when another
 * entry already has that folder (two keys can map to the same names, e.g. `a/b` and `a_b`).
 */
export function entryFolderFor(key: RepresentationKey, entries: readonly StoreEntry[]): string {
  const base = [
    folderPart(key.model),
    `L${key.layer}-${folderPart(key.pooling)}`,
    folderPart(key.treebank),
    folderPart(key.split),
  ].join('/');
  const taken = new Set(entries.map((e) => e.folder));
  let folder = base;
  for (let n = 2; taken.has(folder); n++) folder = `${base}-${n}`;
  return folder;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

/** The first problem of a manifest entry, or undefined. */
function entryProblem(e: unknown): string | undefined {
  if (!isObject(e)) return 'must be an object';
  const { key, shards } = e;
  if (!isObject(key)) return "has no 'key' object";
  for (const name of ['model', 'pooling', 'treebank', 'split']) {
    if (typeof key[name] !== 'string') return `key.${name} must be a string`;
  }
  if (!isCount(key.layer)) return 'key.layer must be a non-negative integer';
  if (typeof e.folder !== 'string') return 'folder must be a string';
  if (e.status !== 'partial' && e.status !== 'complete') return "status must be 'partial' or 'complete'";
  if (typeof e.fingerprint !== 'string') return 'fingerprint must be a string';
  if (!isObject(e.info)) return 'info must be an object';
  if (!Array.isArray(shards)) return 'shards must be an array';
  for (const [j, s] of shards.entries()) {
    if (!isObject(s) || typeof s.file !== 'string' || !isCount(s.sentences)) {
      return `shards[${j}] must have a 'file' string and a 'sentences' count`;
    }
    if (!isObject(s.rows) || !Object.values(s.rows).every(isCount)) {
      return `shards[${j}].rows must map tensor names to row counts`;
    }
    if (s.bytes !== undefined && !isCount(s.bytes)) return `shards[${j}].bytes must be a byte count`;
    if (s.sha256 !== undefined && !(typeof s.sha256 === 'string' && /^[0-9a-f]{64}$/.test(s.sha256))) {
      return `shards[${j}].sha256 must be 64 lowercase hex digits`;
    }
  }
  return undefined;
}

/**
 * Parses the text of manifest `path` and checks its structure, so that a damaged or foreign
 * manifest fails here with its location instead of as a TypeError later.
 * @throws XLING_FILE_FORMAT naming the manifest and the first bad entry.
 */
export function parseManifest(text: string, path: string): Manifest {
  const fail = (reason: string): never => {
    throw new FileFormatError({ file: path, line: 0, column: 0, ruleId: 'store-manifest', reason });
  };
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON: ${(error as Error).message}`);
  }
  const m = (isObject(manifest) ? manifest : {}) as Record<string, unknown>;
  if (m.format !== 'xling-representation-store' || m.version !== 1 || !Array.isArray(m.entries)) {
    fail(
      `not an xling representation store manifest (format '${String(m.format)}', version ${String(m.version)})`,
    );
  }
  for (const [i, entry] of (m.entries as unknown[]).entries()) {
    const problem = entryProblem(entry);
    if (problem !== undefined) fail(`entries[${i}] ${problem}`);
  }
  return manifest as Manifest;
}
