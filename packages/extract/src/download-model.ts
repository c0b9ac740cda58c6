import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import {
  checkOptions,
  DownloadError,
  downloadFile,
  InvalidArgumentError,
  type ProgressCallback,
  throwIfAborted,
} from '@xling/core';

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions {
  /** Cache folder; the model lands in `<cacheDir>/<owner>/<name>/<revision>/`. */
  cacheDir: string;
  /**
   * Hub address.
   * @defaultValue `'https://huggingface.co'`
   */
  endpoint?: string;
  /**
   * Branch, tag or commit.
   * @defaultValue `'main'`
   */
  revision?: string;
  /**
   * Files to fetch (paths in the repository). When absent, the list comes from the hub's index
   * `<endpoint>/api/models/<repo>/revision/<revision>` (`siblings[].rfilename`, with
   * `siblings[].lfs.sha256` checked when present), filtered by `include`.
   */
  files?: string[];
  /** Keeps files of the index whose path matches (default: json files, `onnx/model.onnx*`, tokenizer files). */
  include?: RegExp;
  /** Known sha256 (hex) per file path; a mismatch throws and deletes the file. */
  sha256?: Record<string, string>;
  /** Bearer token for gated repositories (sent to `endpoint` only, not to the CDN it redirects to). */
  token?: string;
  /** Receives `download` progress in bytes per file (label: the file's path in the repository). */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** Result of {@link downloadModel}. */
export interface DownloadedModel {
  /** The model folder, ready for `HiddenStateModel.load`. */
  dir: string;
  /**
   * Files in the folder, with their sizes, whether they were already complete, and their sha256
   * when known (checked against an expected sum, or computed while downloading).
   */
  files: Array<{ path: string; bytes: number; cached: boolean; sha256?: string }>;
}

const FN = 'downloadModel';

const DEFAULT_INCLUDE = /(^|\/)([^/]+\.json|tokenizer\.model|onnx\/model\.onnx(_data)?)$/;

const CONSTRAINTS = {
  cacheDir: { type: 'string' },
  endpoint: { type: 'string', optional: true },
  revision: { type: 'string', optional: true },
  token: { type: 'string', optional: true },
  onProgress: { type: 'function', optional: true },
} as const;

/** The hub's index of a repository revision (only the fields read here). */
interface HubIndex {
  siblings?: Array<{ rfilename: string; lfs?: { sha256?: string } }>;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/**
 * Reads the hub's JSON index with the same HTTP client as the files (core's `downloadFile`, into
 * a temporary folder that is removed afterwards), so one code path handles redirects, timeouts,
 * the token and errors.
 */
async function readIndex(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<HubIndex> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-hub-index-'));
  try {
    const { path } = await downloadFile(url, join(dir, 'index.json'), {
      headers,
      resume: false,
      ...(signal ? { signal } : {}),
    });
    const text = await readFile(path, 'utf8');
    try {
      return JSON.parse(text) as HubIndex;
    } catch (error) {
      throw new DownloadError(url, `the index is not JSON (${(error as Error).message})`, 200, {
        cause: error,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Downloads a Hugging Face model repository (the files `HiddenStateModel.load` needs) into a
 * cache folder. Each file goes through `downloadFile` from `@xling/core`: a partial
 * `<file>.part` is resumed with an HTTP `Range` request, the sha256 (given, or from the hub's LFS
 * index) is checked before the file is renamed into place, and progress is reported in bytes per
 * file. Files already complete (and matching their sha256 when one is known) are kept. Only
 * `endpoint` (and the hosts it redirects to) is contacted.
 *
 * @example
 * const { dir } = await downloadModel('prajjwal1/bert-tiny', { cacheDir: '.cache/models' });
 * @throws XLING_DOWNLOAD_FAILED for network and HTTP errors, truncated transfers (run again to
 *   resume), an index without matching files, and a file path that would leave the model folder.
 * @throws XLING_CHECKSUM_MISMATCH when a file's sha256 differs (the file is deleted).
 * @throws XLING_INVALID_ARGUMENT for a bad `repo` or options.
 * @throws XLING_ABORTED when `signal` fires (the partial file stays and is resumed next time).
 */
export async function downloadModel(repo: string, options: DownloadModelOptions): Promise<DownloadedModel> {
  if (
    typeof repo !== 'string' ||
    !/^[\w.-]+\/[\w.-]+$/.test(repo) ||
    repo.split('/').some((part) => part === '.' || part === '..')
  ) {
    throw new InvalidArgumentError(
      'repo',
      FN,
      `must look like 'owner/name', but got ${JSON.stringify(repo)}.`,
    );
  }
  const {
    files: listed,
    include = DEFAULT_INCLUDE,
    sha256 = {},
    signal,
    ...rest
  } = options ?? ({} as DownloadModelOptions);
  checkOptions(rest, CONSTRAINTS, FN);
  if (listed !== undefined && (!Array.isArray(listed) || listed.some((f) => typeof f !== 'string'))) {
    throw new InvalidArgumentError('options.files', FN, 'must be an array of file paths.');
  }
  if (!(include instanceof RegExp)) {
    throw new InvalidArgumentError('options.include', FN, `must be a RegExp, but got ${typeof include}.`);
  }
  for (const [file, sum] of Object.entries(sha256)) {
    if (typeof sum !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sum)) {
      throw new InvalidArgumentError(
        'options.sha256',
        FN,
        `must map file paths to 64 hex digits, but '${file}' maps to ${JSON.stringify(sum)}.`,
      );
    }
  }
  const { cacheDir, endpoint = 'https://huggingface.co', revision = 'main', token, onProgress } = rest;
  const base = endpoint.replace(/\/+$/, '');
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const root = resolve(cacheDir, repo, revision);
  if (
    relative(resolve(cacheDir, repo), root)
      .split(sep)
      .some((part) => part === '..' || part === '')
  ) {
    throw new InvalidArgumentError(
      'options.revision',
      FN,
      `must name a branch, tag or commit, but got ${JSON.stringify(revision)}.`,
    );
  }
  await mkdir(root, { recursive: true });

  const sums: Record<string, string> = { ...sha256 };
  let files = listed;
  if (!files) {
    const url = `${base}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    const index = await readIndex(url, headers, signal);
    files = [];
    for (const sibling of index.siblings ?? []) {
      if (!include.test(sibling.rfilename)) continue;
      files.push(sibling.rfilename);
      if (sibling.lfs?.sha256 && !sums[sibling.rfilename]) sums[sibling.rfilename] = sibling.lfs.sha256;
    }
    if (files.length === 0) {
      throw new DownloadError(url, `the index of '${repo}' lists no files matching ${include}`);
    }
  }

  const result: DownloadedModel = { dir: root, files: [] };
  for (const file of files) {
    throwIfAborted(signal, FN);
    const url = `${base}/${repo}/resolve/${encodeURIComponent(revision)}/${file
      .split('/')
      .map(encodeURIComponent)
      .join('/')}`;
    const target = resolve(root, file);
    const inside = relative(root, target);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || file.startsWith('/')) {
      throw new DownloadError(url, `refusing to write '${file}' outside the model folder '${root}'`);
    }
    const expected = sums[file]?.toLowerCase();
    const size = await sizeOf(target);
    if (size !== undefined && (!expected || (await sha256File(target)) === expected)) {
      result.files.push({ path: file, bytes: size, cached: true, ...(expected ? { sha256: expected } : {}) });
      continue;
    }
    const downloaded = await downloadFile(url, target, {
      headers,
      label: file,
      ...(expected ? { sha256: expected } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(signal ? { signal } : {}),
    });
    result.files.push({ path: file, bytes: downloaded.bytes, cached: false, sha256: downloaded.sha256 });
  }
  return result;
}
