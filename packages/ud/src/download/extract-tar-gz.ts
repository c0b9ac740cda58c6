import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import {
  checkOptions,
  FileFormatError,
  FileSystemError,
  type ProgressCallback,
  resolveInside,
  throttleProgress,
  throwIfAborted,
  UnsafePathError,
} from '@xling/core';
import { type TarEntry, tarEntries } from './tar-entries.js';

/** Options of {@link extractTarGz}. */
export interface ExtractTarGzOptions {
  /** Leading path components to drop from every entry (like `tar --strip-components`). @defaultValue 0 */
  strip?: number;
  /** Receives `extract` progress in compressed bytes read, with `bytesPerSecond`. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Most bytes the archive's entries may hold in total. @defaultValue MAX_EXTRACTED_BYTES (64 GiB) */
  maxBytes?: number;
  /** Most entries (headers) the archive may have. @defaultValue MAX_TAR_ENTRIES (1,000,000) */
  maxEntries?: number;
  /** Most bytes of one GNU long-name or pax header. @defaultValue MAX_TAR_HEADER_BYTES (1 MiB) */
  maxHeaderBytes?: number;
  /**
   * Most times the archive's size its contents may hold, past 256 MiB.
   * @defaultValue MAX_COMPRESSION_RATIO (20)
   */
  maxRatio?: number;
}

/** What {@link extractTarGz} wrote. */
export interface ExtractTarGzResult {
  /** Absolute destination folder. */
  destination: string;
  /** Paths of the files written, relative to `destination`, in archive order. */
  files: string[];
  /** Uncompressed bytes written. */
  bytes: number;
  /** Entries skipped because they are neither files nor folders (links, devices). */
  skipped: string[];
}

const TASK = 'extract';

/** Temporary files of this extractor: `.<name>.xling-tar-<pid>-<random>.tmp`, beside their target. */
const TEMP_NAME = /^\..*\.xling-tar-(\d+)-[0-9a-f]{8}\.tmp$/;

/** Errors of `mkdir`/`rename` that mean a file stands where a folder is needed, or the reverse. */
const CLASHES = new Set(['EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY']);

function tempFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.xling-tar-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that killed extractions left in `folder`: only names of this
 * extractor whose process is gone, so a concurrent extraction keeps its own.
 */
async function sweepStaleTemps(folder: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw FileSystemError.from(error, 'list', folder);
  }
  for (const name of names) {
    const owner = TEMP_NAME.exec(name)?.[1];
    if (owner === undefined || isRunning(Number(owner))) continue;
    await rm(join(folder, name), { force: true }).catch((error) => {
      throw FileSystemError.from(error, 'remove the stale temporary file', join(folder, name));
    });
  }
}

/** Writes the entries of one archive under `root`, each file through a temporary name. */
class EntryWriter {
  private readonly swept = new Set<string>();
  private readonly source: string;

  constructor(
    private readonly archive: string,
    private readonly root: string,
  ) {
    this.source = `an entry of ${archive}`;
  }

  /** The absolute target of `path` after dropping `strip` components; undefined when nothing is left. */
  target(path: string, strip: number): string | undefined {
    const parts = path.split('/').filter((part) => part !== '' && part !== '.');
    if (path.startsWith('/') || parts.includes('..')) throw new UnsafePathError(this.root, path, this.source);
    const kept = parts.slice(strip);
    return kept.length === 0 ? undefined : resolveInside(this.root, kept.join('/'), this.source);
  }

  /**
   * Creates `folder` (and its parents) for `entry` (none for the destination itself), then
   * sweeps stale temporary files from it once.
   */
  async folder(folder: string, entry?: string): Promise<void> {
    await this.step('create the folder', folder, () => mkdir(folder, { recursive: true }), entry);
    if (this.swept.has(folder)) return;
    this.swept.add(folder);
    await sweepStaleTemps(folder);
  }

  /** Writes the entry's data to `target` through a temporary file; returns the bytes written. */
  async file(entry: TarEntry, target: string): Promise<number> {
    await this.folder(dirname(target), entry.path);
    const temp = tempFor(target);
    let bytes = 0;
    try {
      const handle = await this.step('create', temp, () => open(temp, 'w', (entry.mode & 0o777) | 0o600));
      try {
        for await (const chunk of entry.data) {
          await this.step('write', temp, () => handle.write(chunk));
          bytes += chunk.length;
        }
      } finally {
        await handle.close();
      }
      await this.step('write', target, () => rename(temp, target), entry.path);
    } catch (error) {
      // The first error is the one to report; a temporary file left anyway is swept next time.
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    return bytes;
  }

  /**
   * Runs a file-system step. For the steps that place `entry`, a file where a folder is needed (or
   * the reverse) is the archive's fault, `tar-path-clash`; other system errors are `XLING_FILE_SYSTEM`.
   */
  private async step<T>(action: string, path: string, run: () => Promise<T>, entry?: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (entry === undefined || code === undefined || !CLASHES.has(code)) {
        throw FileSystemError.from(error, action, path);
      }
      throw new FileFormatError(
        {
          file: this.archive,
          line: 0,
          column: 0,
          ruleId: 'tar-path-clash',
          reason: `entry '${entry}' needs '${path}', where a file and a folder of the same name clash (${code})`,
        },
        { cause: error },
      );
    }
  }
}

/**
 * Extracts a gzip-compressed tar archive (`.tgz`, `.tar.gz`; ustar, GNU and pax headers) into
 * `destination` with node:zlib and a small streaming tar reader. Every file is written to a
 * temporary name (`.<name>.xling-tar-<pid>-<random>.tmp`) and renamed when complete; such files
 * left by a killed extraction are removed from each folder this one writes into. Entries that
 * would land outside `destination` (absolute paths, `..`) are refused before anything of them is
 * written, and links are skipped, never followed. The limits (`maxBytes`, `maxEntries`,
 * `maxHeaderBytes`, `maxRatio`) are checked against each header before its data is read.
 *
 * @example
 * const { files } = await extractTarGz('ud-treebanks-v2.15.tgz', 'data');
 * @throws XLING_FILE_FORMAT for a corrupt or truncated archive, or a file and a folder of the
 *   same name (`tar-path-clash`).
 * @throws XLING_UNSAFE_PATH for an entry path that leaves `destination`.
 * @throws XLING_LIMIT_EXCEEDED when the archive exceeds a limit (MAX_EXTRACTED_BYTES,
 *   MAX_COMPRESSION_RATIO, MAX_TAR_ENTRIES, MAX_TAR_HEADER_BYTES or the option given instead).
 * @throws XLING_FILE_SYSTEM when the archive cannot be read or the destination written.
 * @throws XLING_ABORTED when `signal` fires.
 */
export async function extractTarGz(
  archive: string,
  destination: string,
  options: ExtractTarGzOptions = {},
): Promise<ExtractTarGzResult> {
  const { signal, ...checked } = options;
  checkOptions(
    checked,
    {
      strip: { type: 'integer', min: 0 },
      onProgress: { type: 'function' },
      maxBytes: { type: 'integer', min: 0 },
      maxEntries: { type: 'integer', min: 0 },
      maxHeaderBytes: { type: 'integer', min: 0 },
      maxRatio: { type: 'number', min: 1 },
    },
    'extractTarGz',
  );
  const { strip = 0, onProgress, ...limits } = checked;
  const root = resolve(destination);
  const total = await stat(archive).then(
    (info) => info.size,
    (error) => {
      throw FileSystemError.from(error, 'read', archive);
    },
  );
  const writer = new EntryWriter(archive, root);
  await writer.folder(root);
  const progress = throttleProgress(onProgress, 100);
  const label = basename(archive);
  progress({ status: 'start', task: TASK, label, total, unit: 'byte' });
  const began = Date.now();

  const raw = createReadStream(archive);
  let read = 0;
  raw.on('data', (chunk) => {
    read += chunk.length;
  });
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(FileSystemError.from(error, 'read', archive) as Error));
  const input = raw.pipe(gunzip);
  const files: string[] = [];
  const skipped: string[] = [];
  let bytes = 0;
  try {
    for await (const entry of tarEntries(input, archive, { ...limits, compressedBytes: total })) {
      throwIfAborted(signal, TASK);
      const target = writer.target(entry.path, strip);
      if (target === undefined || entry.type === 'other') {
        if (entry.type === 'other') skipped.push(entry.path);
        continue;
      }
      if (entry.type === 'directory') {
        await writer.folder(target, entry.path);
        continue;
      }
      bytes += await writer.file(entry, target);
      files.push(relative(root, target).split(sep).join('/'));
      progress({
        status: 'progress',
        task: TASK,
        label,
        done: read,
        total,
        unit: 'byte',
        metrics: { bytesPerSecond: read / Math.max((Date.now() - began) / 1000, 1e-3), files: files.length },
      });
    }
  } catch (error) {
    raw.destroy();
    gunzip.destroy();
    const code = (error as { code?: string }).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
      throw new FileFormatError(
        {
          file: archive,
          line: 0,
          column: read,
          ruleId: 'gzip',
          reason: `not a valid gzip stream (${(error as Error).message})`,
        },
        { cause: error },
      );
    }
    throw error;
  }
  progress({
    status: 'end',
    task: TASK,
    label,
    done: total,
    total,
    unit: 'byte',
    metrics: { files: files.length },
  });
  return { destination: root, files, bytes, skipped };
}
