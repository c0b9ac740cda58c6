import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import {
  checkOptions,
  FileFormatError,
  type ProgressCallback,
  throttleProgress,
  throwIfAborted,
} from '@xling/core';
import { tarEntries } from './tar-entries.js';

/** Options of {@link extractTarGz}. */
export interface ExtractTarGzOptions {
  /** Leading path components to drop from every entry (like `tar --strip-components`). @defaultValue 0 */
  strip?: number;
  /** Receives `extract` progress in compressed bytes read, with `bytesPerSecond`. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
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

/**
 * Extracts a gzip-compressed tar archive (`.tgz`, `.tar.gz`; ustar, GNU and pax headers) into
 * `destination` with node:zlib and a small streaming tar reader. Every file is written to a
 * temporary name and renamed when complete; entries that would land outside `destination`
 * (absolute paths, `..`) are refused, and links are skipped, never followed.
 *
 * @example
 * const { files } = await extractTarGz('ud-treebanks-v2.15.tgz', 'data');
 * @throws XLING_FILE_FORMAT for a corrupt or truncated archive or an unsafe entry path.
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
    { strip: { type: 'integer', min: 0 }, onProgress: { type: 'function' } },
    'extractTarGz',
  );
  const { strip = 0, onProgress } = checked;
  const root = resolve(destination);
  const total = (await stat(archive)).size;
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
  raw.on('error', (error) => gunzip.destroy(error));
  const input = raw.pipe(gunzip);
  const files: string[] = [];
  const skipped: string[] = [];
  let bytes = 0;
  try {
    for await (const entry of tarEntries(input, archive)) {
      throwIfAborted(signal, TASK);
      const parts = entry.path.split('/').filter((p) => p !== '' && p !== '.');
      if (entry.path.startsWith('/') || parts.includes('..') || /^[A-Za-z]:/.test(entry.path)) {
        throw new FileFormatError({
          file: archive,
          line: 0,
          column: 0,
          ruleId: 'tar-unsafe-path',
          reason: `entry '${entry.path}' would be written outside the destination`,
        });
      }
      const kept = parts.slice(strip);
      if (kept.length === 0 || entry.type === 'other') {
        if (entry.type === 'other') skipped.push(entry.path);
        continue;
      }
      const relative = kept.join('/');
      const target = join(root, ...kept);
      if (!target.startsWith(root + sep)) continue;
      if (entry.type === 'directory') {
        await mkdir(target, { recursive: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
      const handle = await open(temp, 'w', (entry.mode & 0o777) | 0o600);
      try {
        for await (const chunk of entry.data) {
          await handle.write(chunk);
          bytes += chunk.length;
        }
      } catch (error) {
        await handle.close();
        await rm(temp, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temp, target);
      files.push(relative);
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
    if (
      (error as { code?: string }).code === 'Z_DATA_ERROR' ||
      (error as { code?: string }).code === 'Z_BUF_ERROR'
    ) {
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
