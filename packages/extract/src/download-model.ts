import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import {
  InvalidArgumentError,
  type ProgressCallback,
  XlingError,
  checkOptions,
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
  /** Bearer token for gated repositories. */
  token?: string;
  /** `fetch` to use (tests, proxies). */
  fetch?: typeof fetch;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** Result of {@link downloadModel}. */
export interface DownloadedModel {
  /** The model folder, ready for `HiddenStateModel.load`. */
  dir: string;
  /** Files in the folder, with their sizes and whether they were already complete. */
  files: Array<{ path: string; bytes: number; cached: boolean; sha256?: string }>;
}

const DEFAULT_INCLUDE = /(^|\/)([^/]+\.json|tokenizer\.model|onnx\/model\.onnx(_data)?)$/;

const CONSTRAINTS = {
  cacheDir: { type: 'string' },
  endpoint: { type: 'string', optional: true },
  revision: { type: 'string', optional: true },
  token: { type: 'string', optional: true },
  onProgress: { type: 'function', optional: true },
  fetch: { type: 'function', optional: true },
} as const;

function safePath(root: string, file: string): string {
  const path = normalize(join(root, file));
  if (!path.startsWith(root) || file.startsWith('/') || file.split('/').includes('..')) {
    throw new XlingError('XLING_DOWNLOAD', `Refusing to write '${file}' outside the model folder '${root}'.`);
  }
  return path;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Downloads a Hugging Face model repository (the files `HiddenStateModel.load` needs) into a
 * cache folder. Files already complete are kept; a partial `<file>.incomplete` is resumed with an
 * HTTP `Range` request; sha256 sums (given, or from the hub's LFS index) are checked. Progress
 * is reported in bytes per file. Only `endpoint` is contacted.
 *
 * @throws XLING_DOWNLOAD for HTTP errors and checksum mismatches.
 * @throws XLING_ABORTED when `signal` fires (the partial file stays and is resumed next time).
 */
export async function downloadModel(repo: string, options: DownloadModelOptions): Promise<DownloadedModel> {
  const fn = 'downloadModel';
  if (typeof repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    throw new InvalidArgumentError(
      'repo',
      fn,
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
  checkOptions(rest, CONSTRAINTS, fn);
  const {
    cacheDir,
    endpoint = 'https://huggingface.co',
    revision = 'main',
    token,
    onProgress,
    fetch: fetchImpl = fetch,
  } = rest;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const root = join(cacheDir, repo, revision);
  await mkdir(root, { recursive: true });

  const sums: Record<string, string> = { ...sha256 };
  let files = listed;
  if (!files) {
    const url = `${endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    const response = await fetchImpl(url, { headers, signal });
    if (!response.ok)
      throw new XlingError(
        'XLING_DOWNLOAD',
        `GET ${url} answered ${response.status} ${response.statusText}.`,
      );
    const index = (await response.json()) as {
      siblings?: Array<{ rfilename: string; lfs?: { sha256?: string } }>;
    };
    files = [];
    for (const s of index.siblings ?? []) {
      if (!include.test(s.rfilename)) continue;
      files.push(s.rfilename);
      if (s.lfs?.sha256 && !sums[s.rfilename]) sums[s.rfilename] = s.lfs.sha256;
    }
    if (files.length === 0)
      throw new XlingError('XLING_DOWNLOAD', `The index of '${repo}' lists no files matching ${include}.`);
  }

  const result: DownloadedModel = { dir: root, files: [] };
  for (const file of files) {
    throwIfAborted(signal, fn);
    const target = safePath(root, file);
    const expected = sums[file]?.toLowerCase();
    if (existsSync(target)) {
      const bytes = (await stat(target)).size;
      if (!expected || (await sha256File(target)) === expected) {
        result.files.push({ path: file, bytes, cached: true, ...(expected ? { sha256: expected } : {}) });
        continue;
      }
    }
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.incomplete`;
    const have = existsSync(partial) ? (await stat(partial)).size : 0;
    const url = `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file}`;
    const response = await fetchImpl(url, {
      headers: have > 0 ? { ...headers, range: `bytes=${have}-` } : headers,
      signal,
    });
    if (!response.ok && response.status !== 416) {
      throw new XlingError(
        'XLING_DOWNLOAD',
        `GET ${url} answered ${response.status} ${response.statusText}.`,
      );
    }
    // 206: the server resumed from `have`; 200: it sent the whole file, so start over.
    const resumed = response.status === 206;
    const start = resumed ? have : 0;
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    const total = Number.isFinite(length) ? start + length : undefined;
    onProgress?.({ status: 'start', task: fn, label: file, total, unit: 'byte' });
    const handle = await open(partial, resumed ? 'a' : 'w');
    let done = start;
    try {
      if (response.status !== 416 && response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          throwIfAborted(signal, fn);
          await handle.write(chunk);
          done += chunk.length;
          onProgress?.({ status: 'progress', task: fn, label: file, done, total, unit: 'byte' });
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (total !== undefined && done !== total) {
      throw new XlingError(
        'XLING_DOWNLOAD',
        `Download of '${file}' stopped at ${done} of ${total} bytes; run again to resume.`,
      );
    }
    if (expected) {
      const actual = await sha256File(partial);
      if (actual !== expected) {
        await rename(partial, `${partial}.bad`).catch(() => {});
        throw new XlingError(
          'XLING_DOWNLOAD',
          `Checksum of '${file}' is sha256 ${actual}, expected ${expected}; the download was discarded.`,
        );
      }
    }
    await rename(partial, target);
    onProgress?.({ status: 'end', task: fn, label: file, done, total, unit: 'byte' });
    result.files.push({ path: file, bytes: done, cached: false, ...(expected ? { sha256: expected } : {}) });
  }
  return result;
}
