import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import {
  checkOptions,
  DownloadError,
  downloadFile,
  InvalidArgumentError,
  type ProgressCallback,
  throwIfAborted,
  XlingError,
} from '@xling/core';
import {
  type Environment,
  type HubSettings,
  hubSettings,
  isBlobId,
  isCommit,
  onDisk,
  RepoCache,
  sha256File,
  sizeOf,
} from './hub-cache.js';

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions {
  /**
   * The Hugging Face hub cache (the folder holding `models--<owner>--<name>/`), shared with
   * Python's `huggingface_hub`, so a model it downloaded is found here and the other way round.
   * @defaultValue `$HF_HUB_CACHE`, else `$HF_HOME/hub` (`HF_HOME` defaults to `~/.cache/huggingface`)
   */
  cacheDir?: string;
  /**
   * Hub address (a mirror, or a local server).
   * @defaultValue `$HF_ENDPOINT`, else `'https://huggingface.co'`
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
  /**
   * Access token for gated and private repositories, sent as a bearer header to `endpoint` only
   * (never to the CDN it redirects to).
   * @defaultValue `$HF_TOKEN`, else the file `$HF_TOKEN_PATH` (default `$HF_HOME/token`, written by `hf auth login`)
   */
  token?: string;
  /**
   * Use the cache only, without any request.
   * @defaultValue `$HF_HUB_OFFLINE` (`1`, `true`, `yes` or `on`)
   */
  offline?: boolean;
  /** Attempts after a failure that may pass, per request (see `downloadFile`). @defaultValue 4 */
  retries?: number;
  /**
   * Environment to read `HF_*` settings and proxies (`HTTPS_PROXY`, `NO_PROXY`, ...) from.
   * @defaultValue `process.env`
   */
  env?: Environment;
  /** Receives `download` progress in bytes per file (label: the file's path in the repository). */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** Result of {@link downloadModel}. */
export interface DownloadedModel {
  /** The model folder, ready for `HiddenStateModel.load`: `<cacheDir>/models--<owner>--<name>/snapshots/<commit>`. */
  dir: string;
  /** The commit the revision resolved to. */
  commit: string;
  /**
   * Files in the folder, with their sizes, whether they were already in the cache, and their
   * sha256 when known (checked against an expected sum, or computed while downloading).
   */
  files: Array<{ path: string; bytes: number; cached: boolean; sha256?: string }>;
}

const FN = 'downloadModel';

const DEFAULT_INCLUDE = /(^|\/)([^/]+\.json|tokenizer\.model|onnx\/model\.onnx(_data)?)$/;

const CONSTRAINTS = {
  cacheDir: { type: 'string', optional: true },
  endpoint: { type: 'string', optional: true },
  revision: { type: 'string', optional: true },
  token: { type: 'string', optional: true },
  offline: { type: 'boolean', optional: true },
  retries: { type: 'integer', min: 0, max: 100, optional: true },
  env: { type: 'object', optional: true },
  onProgress: { type: 'function', optional: true },
} as const;

/** The hub's index of a repository revision (only the fields read here). */
interface HubIndex {
  sha?: string;
  siblings?: Array<{ rfilename: string; blobId?: string; lfs?: { sha256?: string } }>;
}

/** A file to provide: where it lives in the cache and what it must hash to. */
interface Wanted {
  path: string;
  /** Blob name: the LFS sha256, else the git object id (as `huggingface_hub` names blobs). */
  blobId: string;
  sha256: string | undefined;
}

/** What one call works with. */
interface Job {
  repo: string;
  revision: string;
  cache: RepoCache;
  hub: HubSettings;
  headers: Record<string, string>;
  include: RegExp;
  listed: string[] | undefined;
  sums: Record<string, string>;
  retries: number | undefined;
  env: Environment;
  onProgress: ProgressCallback | undefined;
  signal: AbortSignal | undefined;
}

function checkArguments(repo: unknown, options: DownloadModelOptions | undefined) {
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
  const { files, include = DEFAULT_INCLUDE, sha256 = {}, signal, ...rest } = options ?? {};
  checkOptions(rest, CONSTRAINTS, FN);
  if (files !== undefined && (!Array.isArray(files) || files.some((f) => typeof f !== 'string'))) {
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
  const revision = rest.revision ?? 'main';
  // A revision names refs/<revision> (tags and PR refs such as refs/pr/1 have slashes).
  if (!/^[\w.+@-]+(\/[\w.+@-]+)*$/.test(revision) || revision.split('/').some((p) => /^\.+$/.test(p))) {
    throw new InvalidArgumentError(
      'options.revision',
      FN,
      `must name a branch, tag or commit, but got ${JSON.stringify(revision)}.`,
    );
  }
  return { files, include, sha256, signal, rest, revision };
}

const resolveUrl = (job: Job, revision: string, file: string) =>
  `${job.hub.endpoint}/${job.repo}/resolve/${encodeURIComponent(revision)}/${file
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;

/** `snapshots/<commit>/<file>`, refusing a path that would leave that folder. */
function pointerPath(job: Job, commit: string, file: string): string {
  const root = job.cache.snapshot(commit);
  const target = resolve(root, file);
  const inside = relative(root, target);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || file.startsWith('/')) {
    throw new DownloadError(
      resolveUrl(job, job.revision, file),
      `refusing to write '${file}' outside the model folder '${root}'`,
    );
  }
  return target;
}

/**
 * Reads the hub's JSON index with the same HTTP client as the files (core's `downloadFile`, into
 * a temporary folder that is removed afterwards), so one code path handles redirects, proxies,
 * retries, the token and errors.
 */
async function readIndex(job: Job, url: string, retries: number | undefined): Promise<HubIndex> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-hub-index-'));
  try {
    const { path } = await downloadFile(url, join(dir, 'index.json'), {
      headers: job.headers,
      resume: false,
      env: job.env,
      ...(retries === undefined ? {} : { retries }),
      ...(job.signal ? { signal: job.signal } : {}),
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

/** The commit and the wanted files, from the index; records `refs/<revision>`. */
async function planFromIndex(job: Job, index: HubIndex, url: string) {
  const commit = index.sha ?? '';
  if (!isCommit(commit)) {
    throw new DownloadError(url, `the index gives no commit (sha) for '${job.repo}' at '${job.revision}'`);
  }
  const siblings = new Map((index.siblings ?? []).map((sibling) => [sibling.rfilename, sibling]));
  const paths = job.listed ?? [...siblings.keys()].filter((path) => job.include.test(path));
  if (paths.length === 0) {
    throw new DownloadError(url, `the index of '${job.repo}' lists no files matching ${job.include}`);
  }
  const wanted: Wanted[] = paths.map((path) => {
    pointerPath(job, commit, path);
    const sibling = siblings.get(path);
    if (sibling === undefined) {
      throw new DownloadError(
        resolveUrl(job, job.revision, path),
        `'${path}' is not in '${job.repo}' at '${job.revision}'`,
        404,
      );
    }
    const blobId = sibling.lfs?.sha256 ?? sibling.blobId ?? '';
    if (!isBlobId(blobId)) {
      throw new DownloadError(url, `the index gives no blob id for '${path}' (asked with ?blobs=true)`);
    }
    return { path, blobId, sha256: job.sums[path] ?? sibling.lfs?.sha256 };
  });
  await job.cache.recordRef(job.revision, commit);
  return { commit, wanted };
}

/** Whether the file at `path` is whole: present, and matching its sha256 when one is known. */
async function intact(path: string, sha256: string | undefined): Promise<number | undefined> {
  const size = await sizeOf(path);
  if (size === undefined || sha256 === undefined) return size;
  return (await sha256File(path)) === sha256.toLowerCase() ? size : undefined;
}

/** Provides one file in the snapshot: already linked, linked to a cached blob, or downloaded. */
async function provide(job: Job, commit: string, file: Wanted): Promise<DownloadedModel['files'][number]> {
  const pointer = pointerPath(job, commit, file.path);
  const blob = job.cache.blob(file.blobId);
  const known = file.sha256 ? { sha256: file.sha256.toLowerCase() } : {};
  const linked = await intact(pointer, file.sha256);
  if (linked !== undefined) return { path: file.path, bytes: linked, cached: true, ...known };
  const stored = await intact(blob, file.sha256);
  if (stored !== undefined) {
    await job.cache.link(pointer, blob);
    return { path: file.path, bytes: stored, cached: true, ...known };
  }
  // A damaged blob goes; its `.part` file (if any) is what downloadFile resumes.
  await onDisk('remove', blob, () => rm(blob, { force: true }));
  const downloaded = await downloadFile(resolveUrl(job, commit, file.path), blob, {
    headers: job.headers,
    label: file.path,
    env: job.env,
    ...(file.sha256 ? { sha256: file.sha256 } : {}),
    ...(job.retries === undefined ? {} : { retries: job.retries }),
    ...(job.onProgress ? { onProgress: job.onProgress } : {}),
    ...(job.signal ? { signal: job.signal } : {}),
  });
  await job.cache.link(pointer, blob);
  return { path: file.path, bytes: downloaded.bytes, cached: false, sha256: downloaded.sha256 };
}

/**
 * The model as the cache holds it, without a request: the commit of the revision (itself, or
 * `refs/<revision>`), and every wanted file (listed, or matching `include`) present in its
 * snapshot and intact. Undefined when anything is missing.
 */
async function fromCache(job: Job): Promise<DownloadedModel | undefined> {
  const commit = await job.cache.commitOf(job.revision);
  if (commit === undefined) return undefined;
  const paths =
    job.listed ?? (await job.cache.snapshotFiles(commit)).filter((path) => job.include.test(path));
  if (paths.length === 0) return undefined;
  const files: DownloadedModel['files'] = [];
  for (const path of paths) {
    const pointer = pointerPath(job, commit, path);
    const sha256 = job.sums[path]?.toLowerCase() ?? (await job.cache.linkedSha256(pointer));
    const bytes = await intact(pointer, sha256);
    if (bytes === undefined) return undefined;
    files.push({ path, bytes, cached: true, ...(sha256 ? { sha256 } : {}) });
  }
  return { dir: job.cache.snapshot(commit), commit, files };
}

/**
 * Downloads a Hugging Face model repository (the files `HiddenStateModel.load` needs) into the
 * Hugging Face hub cache, in the layout of Python's `huggingface_hub` (`blobs/`, `snapshots/`,
 * `refs/` under `models--<owner>--<name>`), so that a model either of them downloaded is not
 * downloaded again. `HF_HOME`, `HF_HUB_CACHE`, `HF_TOKEN`, `HF_ENDPOINT` and `HF_HUB_OFFLINE` are
 * honoured (options win).
 *
 * One request for the index (`/api/models/<repo>/revision/<revision>`) gives the commit and the
 * files; a revision that is a commit with `files` listed needs none once they are cached. Each
 * missing file goes through `downloadFile` from `@xling/core`: proxies, retries, a partial blob
 * resumed with an HTTP `Range` request, the sha256 (given, or the LFS one of the index) checked
 * before the blob is renamed into place. Files found in the cache are checked against their
 * sha256 when one is known. When the hub cannot be reached (or answers an error) and the cache
 * holds the revision, the cached snapshot is used, as `huggingface_hub` does.
 *
 * @example
 * const { dir } = await downloadModel('prajjwal1/bert-tiny', { cacheDir: '.cache/huggingface/hub' });
 * @throws XLING_DOWNLOAD_FAILED for network and HTTP errors (with nothing cached to fall back on),
 *   truncated transfers (run again to resume), an index without matching files, a listed file
 *   not in the repository, a file path that would leave the model folder, and offline mode with
 *   the model not in the cache.
 * @throws XLING_CHECKSUM_MISMATCH when a file's sha256 differs (the file is deleted).
 * @throws XLING_FILE_SYSTEM when the cache cannot be written.
 * @throws XLING_INVALID_ARGUMENT for a bad `repo` or options.
 * @throws XLING_ABORTED when `signal` fires (the partial file stays and is resumed next time).
 */
export async function downloadModel(
  repo: string,
  options: DownloadModelOptions = {},
): Promise<DownloadedModel> {
  const { files: listed, include, sha256, signal, rest, revision } = checkArguments(repo, options);
  const env = rest.env ?? process.env;
  const hub = await hubSettings(
    { cacheDir: rest.cacheDir, endpoint: rest.endpoint, token: rest.token, offline: rest.offline },
    env,
  );
  const job: Job = {
    repo,
    revision,
    cache: new RepoCache(resolve(hub.cacheDir), repo),
    hub,
    headers: hub.token ? { authorization: `Bearer ${hub.token}` } : {},
    include,
    listed,
    sums: sha256,
    retries: rest.retries,
    env,
    onProgress: rest.onProgress,
    signal,
  };
  throwIfAborted(signal, FN);
  for (const file of listed ?? []) pointerPath(job, revision, file); // before any request
  const url = `${hub.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
  if (hub.offline || (isCommit(revision) && listed !== undefined)) {
    const cached = await fromCache(job);
    if (cached) return cached;
  }
  if (hub.offline) {
    throw new DownloadError(
      url,
      `offline (HF_HUB_OFFLINE or options.offline) and '${repo}' at '${revision}' is not complete in the cache ${job.cache.root}`,
    );
  }
  let index: HubIndex;
  try {
    // With the revision in the cache, a hub that fails means the cache, at once: no retries.
    index = await readIndex(job, url, (await job.cache.hasSnapshot(revision)) ? 0 : job.retries);
  } catch (error) {
    if (!XlingError.isInstance(error) || error.code !== 'XLING_DOWNLOAD_FAILED') throw error;
    const fallback = await fromCache(job);
    if (fallback) return fallback;
    throw error;
  }
  const { commit, wanted } = await planFromIndex(job, index, url);
  const result: DownloadedModel = { dir: job.cache.snapshot(commit), commit, files: [] };
  for (const file of wanted) {
    throwIfAborted(signal, FN);
    result.files.push(await provide(job, commit, file));
  }
  return result;
}
