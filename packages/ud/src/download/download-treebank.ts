import { join, resolve } from 'node:path';
import {
  checkOptions,
  checkPlainName,
  type DownloadFileResult,
  downloadFile,
  InvalidArgumentError,
  type ProgressCallback,
} from '@xling/core';
import { fileNameFromUrl } from './file-name-from-url.js';
import { recordChecksums } from './record-checksums.js';

/** One file to fetch: a URL, optionally with its SHA-256 and the name to store it under. */
export interface TreebankFileSource {
  url: string;
  sha256?: string;
  /** File name inside the treebank folder. @defaultValue the URL's last path segment */
  name?: string;
}

/** Options of {@link downloadTreebank}. */
export interface DownloadTreebankOptions {
  /** UD folder to write into; files go to `<dir>/<treebank>/`, the extracted-release layout. */
  dir: string;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** See {@link DownloadFileOptions.timeoutMs}. @defaultValue 60000 */
  timeoutMs?: number;
  /** Automatic retries of a failed transfer (see {@link DownloadFileOptions.retries}). @defaultValue 4 */
  retries?: number;
}

/** What {@link downloadTreebank} did. */
export interface DownloadTreebankResult {
  /** Absolute treebank folder. */
  dir: string;
  files: DownloadFileResult[];
}

/**
 * Downloads one treebank's files (e.g. its `.conllu` splits from the treebank's GitHub
 * repository) into `<dir>/<treebank>/`, one after the other, each resumable and
 * checksum-verified (see {@link downloadFile}). The result is in the layout of an extracted UD
 * release, so `resolveTreebank(treebank, { dir })` finds it — use a folder without MANIFEST.tsv.
 *
 * @example
 * await downloadTreebank('UD_Welsh-CCG', [
 *   'https://raw.githubusercontent.com/UniversalDependencies/UD_Welsh-CCG/r2.15/cy_ccg-ud-test.conllu',
 * ], { dir: 'my-ud' });
 * @throws XLING_INVALID_ARGUMENT for a treebank name that is not `UD_<Language>-<Name>` or a malformed URL.
 * @throws XLING_UNSAFE_PATH for a file name (given, or decoded from the URL) that is not a plain
 *   name inside the treebank folder; nothing is written.
 * @throws XLING_DOWNLOAD_FAILED, XLING_CHECKSUM_MISMATCH, XLING_ABORTED as {@link downloadFile}.
 */
export async function downloadTreebank(
  treebank: string,
  files: ReadonlyArray<string | TreebankFileSource>,
  options: DownloadTreebankOptions,
): Promise<DownloadTreebankResult> {
  if (typeof treebank !== 'string' || !/^UD_[\w.]+-[\w.]+$/.test(treebank)) {
    throw new InvalidArgumentError(
      'treebank',
      'downloadTreebank',
      `must be a UD name like 'UD_English-EWT', but got '${String(treebank)}'.`,
    );
  }
  if (!Array.isArray(files) || files.length === 0) {
    throw new InvalidArgumentError('files', 'downloadTreebank', 'must be a non-empty array of URLs.');
  }
  if (typeof options !== 'object' || options === null || typeof options.dir !== 'string') {
    throw new InvalidArgumentError(
      'options.dir',
      'downloadTreebank',
      'must be given: the UD folder to write into.',
    );
  }
  const { signal, ...checked } = options;
  checkOptions(
    checked,
    {
      dir: { type: 'string' },
      onProgress: { type: 'function' },
      timeoutMs: { type: 'integer', min: 1 },
      retries: { type: 'integer', min: 0 },
    },
    'downloadTreebank',
  );
  const folder = join(resolve(checked.dir), treebank);
  const sources = files.map((file, i) => {
    const source = typeof file === 'string' ? { url: file } : file;
    if (typeof source !== 'object' || source === null || typeof source.url !== 'string') {
      throw new InvalidArgumentError(
        `files[${i}]`,
        'downloadTreebank',
        'must be a URL or { url, sha256?, name? }.',
      );
    }
    // Every name is checked before the first byte is written.
    const name =
      source.name === undefined
        ? fileNameFromUrl(source.url, folder, `files[${i}]`, 'downloadTreebank')
        : checkPlainName(source.name, folder, `files[${i}].name`);
    return { ...source, name };
  });
  const results: DownloadFileResult[] = [];
  for (const source of sources) {
    results.push(
      await downloadFile(source.url, join(folder, source.name), {
        ...(source.sha256 === undefined ? {} : { sha256: source.sha256 }),
        ...(checked.onProgress === undefined ? {} : { onProgress: checked.onProgress }),
        ...(checked.timeoutMs === undefined ? {} : { timeoutMs: checked.timeoutMs }),
        ...(checked.retries === undefined ? {} : { retries: checked.retries }),
        ...(signal === undefined ? {} : { signal }),
      }),
    );
  }
  await recordChecksums(resolve(checked.dir), results);
  return { dir: folder, files: results };
}
