import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  checkOptions,
  type DownloadFileResult,
  downloadFile,
  FileSystemError,
  InvalidArgumentError,
  type ProgressCallback,
} from '@xling/core';
import { scanUdDir, type UdDirIndex } from '../registry/scan-ud-dir.js';
import { extractTarGz } from './extract-tar-gz.js';
import { fileNameFromUrl } from './file-name-from-url.js';
import { recordChecksums } from './record-checksums.js';

/** Options of {@link downloadUdRelease}. */
export interface DownloadUdReleaseOptions {
  /** Folder to extract into (the release's `ud-treebanks-v2.X/` folder is created inside). */
  dir: string;
  /** Expected SHA-256 of the tarball (hex). */
  sha256?: string;
  /** Keep the downloaded `.tgz` next to the extracted folder. @defaultValue false */
  keepArchive?: boolean;
  /** Receives `download` then `extract` progress. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** See {@link DownloadFileOptions.timeoutMs}. @defaultValue 60000 */
  timeoutMs?: number;
  /** Automatic retries of a failed transfer (see {@link DownloadFileOptions.retries}). @defaultValue 4 */
  retries?: number;
  /** Most bytes the archive may extract to: {@link ExtractTarGzOptions.maxBytes}. @defaultValue MAX_EXTRACTED_BYTES (64 GiB) */
  maxExtractedBytes?: number;
}

/** What {@link downloadUdRelease} did. */
export interface DownloadUdReleaseResult {
  download: DownloadFileResult;
  /** Files extracted. */
  files: number;
  /** The extracted release, indexed: pass `index.dir` to `resolveTreebank`/`udStats`. */
  index: UdDirIndex;
}

/**
 * Downloads an official UD release tarball (`ud-treebanks-v2.X.tgz`, e.g. from the LINDAT
 * repository), resumably and checksum-verified (see {@link downloadFile}), extracts it into
 * `dir` (see {@link extractTarGz}) and indexes the result. Running it again after an
 * interruption resumes the download.
 *
 * @example
 * const { index } = await downloadUdRelease(releaseUrl, { dir: 'data', sha256 });
 * await resolveTreebank('UD_English-EWT', { dir: index.dir, require: ['train'] });
 * @throws XLING_UNSAFE_PATH when the URL's decoded file name is not a plain name (`..%2Fx.tgz`);
 *   nothing is written.
 * @throws XLING_INVALID_ARGUMENT for a malformed URL (not a URL, a bad percent-escape, `%00`).
 * @throws XLING_DOWNLOAD_FAILED, XLING_CHECKSUM_MISMATCH, XLING_FILE_FORMAT, XLING_LIMIT_EXCEEDED,
 *   XLING_FILE_SYSTEM, XLING_ABORTED as {@link downloadFile} and {@link extractTarGz}.
 */
export async function downloadUdRelease(
  url: string,
  options: DownloadUdReleaseOptions,
): Promise<DownloadUdReleaseResult> {
  if (typeof options !== 'object' || options === null || typeof options.dir !== 'string') {
    throw new InvalidArgumentError(
      'options.dir',
      'downloadUdRelease',
      'must be given: the folder to extract into.',
    );
  }
  const { signal, ...checked } = options;
  checkOptions(
    checked,
    {
      dir: { type: 'string' },
      sha256: { type: 'string' },
      keepArchive: { type: 'boolean' },
      onProgress: { type: 'function' },
      timeoutMs: { type: 'integer', min: 1 },
      retries: { type: 'integer', min: 0 },
      maxExtractedBytes: { type: 'integer', min: 0 },
    },
    'downloadUdRelease',
  );
  const { dir, keepArchive = false, sha256, onProgress, timeoutMs, retries, maxExtractedBytes } = checked;
  const root = resolve(dir);
  const name = fileNameFromUrl(url, root, 'url', 'downloadUdRelease', 'ud-treebanks.tgz');
  const archiveName = /\.(tgz|tar\.gz)$/.test(name) ? name : `${name}.tgz`;
  const download = await downloadFile(url, join(root, archiveName), {
    ...(sha256 === undefined ? {} : { sha256 }),
    ...(onProgress === undefined ? {} : { onProgress }),
    ...(signal === undefined ? {} : { signal }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(retries === undefined ? {} : { retries }),
  });
  const extracted = await extractTarGz(download.path, root, {
    ...(onProgress === undefined ? {} : { onProgress }),
    ...(maxExtractedBytes === undefined ? {} : { maxBytes: maxExtractedBytes }),
    ...(signal === undefined ? {} : { signal }),
  });
  await recordChecksums(root, [download]);
  if (!keepArchive) {
    await rm(download.path, { force: true }).catch((error) => {
      throw FileSystemError.from(error, 'remove the downloaded archive', download.path);
    });
  }
  return { download, files: extracted.files.length, index: await scanUdDir(root) };
}
