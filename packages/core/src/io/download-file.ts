import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, dirname, resolve } from 'node:path';
import { AbortError, throwIfAborted } from '../errors/abort-error.js';
import { ChecksumMismatchError } from '../errors/checksum-mismatch-error.js';
import { DownloadError } from '../errors/download-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { checkOptions } from '../options/check-options.js';
import type { ProgressCallback } from '../progress/progress-event.js';
import { throttleProgress } from '../progress/throttle-progress.js';

/** Options of {@link downloadFile}. */
export interface DownloadFileOptions {
  /** Expected SHA-256 of the whole file (hex); verified before the file is renamed into place. */
  sha256?: string;
  /**
   * Continue a previous partial download from `<destination>.part` with an HTTP Range request
   * (servers that ignore Range get a fresh download). With `false` the part file is discarded.
   * @defaultValue true
   */
  resume?: boolean;
  /** Receives `download` progress in bytes, with `bytesPerSecond` and `etaSeconds` metrics. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Redirects followed before giving up. @defaultValue 5 */
  maxRedirects?: number;
  /** Milliseconds without any data before the transfer is abandoned. @defaultValue 60000 */
  timeoutMs?: number;
  /** Label of the progress events. @defaultValue the destination's file name */
  label?: string;
  /**
   * Extra request headers, such as `{ authorization: 'Bearer …' }` for a gated file. Names are
   * case-insensitive; `range` and `accept-encoding` are set by `downloadFile` and cannot be
   * overridden. `authorization`, `cookie` and `proxy-authorization` are dropped when a redirect
   * leads to another origin (as `fetch` does), so a token never leaks to a CDN.
   * @defaultValue `{}`
   */
  headers?: Record<string, string>;
}

/** What {@link downloadFile} did. */
export interface DownloadFileResult {
  /** Absolute path of the complete file. */
  path: string;
  /** Size of the file. */
  bytes: number;
  /** SHA-256 of the file (hex). */
  sha256: string;
  /** Bytes that were already in the part file and not downloaded again (0 for a fresh download). */
  resumedFrom: number;
  /** URL the data finally came from (after redirects). */
  url: string;
}

const TASK = 'download';

/** Headers that carry credentials: sent to the URL's own origin only. */
const CREDENTIALS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function get(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined, timeoutMs: number) {
  return new Promise<IncomingMessage>((resolvePromise, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { headers, signal });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no data for ${timeoutMs} ms`)));
    request.on('response', (response) => {
      response.setTimeout(timeoutMs, () => response.destroy(new Error(`no data for ${timeoutMs} ms`)));
      resolvePromise(response);
    });
    request.on('error', reject);
    request.end();
  });
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Downloads `url` (http or https) to `destination`, resumably and atomically: the bytes go to
 * `<destination>.part` (continued with an HTTP Range request when a previous attempt left one),
 * the SHA-256 is checked when given, and only then is the part file renamed to `destination`.
 * A failed transfer keeps the part file so that the same call resumes it.
 *
 * @example
 * await downloadFile('https://example.org/ud-treebanks-v2.15.tgz', 'data/ud-2.15.tgz', {
 *   sha256: '…',
 *   onProgress: (event) => console.log(event),
 * });
 * @throws XLING_DOWNLOAD_FAILED on network errors, HTTP errors and early ends (resume by calling again).
 * @throws XLING_CHECKSUM_MISMATCH when the SHA-256 differs (the bad file is deleted).
 * @throws XLING_INVALID_ARGUMENT for a URL that is not absolute http(s), or bad options.
 * @throws XLING_ABORTED when `signal` fires (the part file is kept).
 */
export async function downloadFile(
  url: string,
  destination: string,
  options: DownloadFileOptions = {},
): Promise<DownloadFileResult> {
  const { signal, headers: extraHeaders = {}, ...checked } = options;
  checkOptions(
    checked,
    {
      sha256: { type: 'string' },
      resume: { type: 'boolean' },
      onProgress: { type: 'function' },
      maxRedirects: { type: 'integer', min: 0, max: 20 },
      timeoutMs: { type: 'integer', min: 1 },
      label: { type: 'string' },
    },
    'downloadFile',
  );
  const { sha256, resume = true, onProgress, maxRedirects = 5, timeoutMs = 60_000 } = checked;
  if (
    typeof extraHeaders !== 'object' ||
    extraHeaders === null ||
    Array.isArray(extraHeaders) ||
    Object.values(extraHeaders).some((value) => typeof value !== 'string')
  ) {
    throw new InvalidArgumentError(
      'options.headers',
      'downloadFile',
      'must be an object of string header values.',
    );
  }
  const callerHeaders = Object.fromEntries(
    Object.entries(extraHeaders).map(([name, value]) => [name.toLowerCase(), value]),
  );
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new InvalidArgumentError(
      'url',
      'downloadFile',
      `must be an absolute http(s) URL, but got '${url}'.`,
    );
  }
  if (current.protocol !== 'http:' && current.protocol !== 'https:') {
    throw new InvalidArgumentError(
      'url',
      'downloadFile',
      `must use http or https, but got '${current.protocol}'.`,
    );
  }
  if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha256)) {
    throw new InvalidArgumentError(
      'options.sha256',
      'downloadFile',
      `must be 64 hex digits, but got '${sha256}'.`,
    );
  }
  const path = resolve(destination);
  const part = `${path}.part`;
  const label = checked.label ?? basename(path);
  await mkdir(dirname(path), { recursive: true });
  if (!resume) await rm(part, { force: true });
  throwIfAborted(signal, TASK);

  let start = await sizeOf(part);
  let response: IncomingMessage | undefined;
  const origin = current.origin;
  for (let redirects = 0; ; ) {
    const headers: Record<string, string> = { 'user-agent': 'xling' };
    for (const [name, value] of Object.entries(callerHeaders)) {
      if (current.origin === origin || !CREDENTIALS.has(name)) headers[name] = value;
    }
    headers['accept-encoding'] = 'identity';
    delete headers.range;
    if (start > 0) headers.range = `bytes=${start}-`;
    try {
      response = await get(current, headers, signal, timeoutMs);
    } catch (error) {
      if (signal?.aborted) throw new AbortError(TASK, signal.reason);
      throw new DownloadError(current.href, (error as Error).message, undefined, { cause: error });
    }
    const status = response.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status) && response.headers.location) {
      response.resume();
      if (++redirects > maxRedirects)
        throw new DownloadError(url, `more than ${maxRedirects} redirects`, status);
      current = new URL(response.headers.location, current);
      continue;
    }
    if (status === 416 && start > 0) {
      // Range not satisfiable: the part file is complete if its size is the total, else stale.
      response.resume();
      const total = /\/(\d+)$/.exec(String(response.headers['content-range'] ?? ''))?.[1];
      if (total !== undefined && Number(total) === start) {
        response = undefined;
        break;
      }
      await rm(part, { force: true });
      start = 0;
      continue;
    }
    if (status === 200 || (status === 206 && start > 0)) break;
    response.resume();
    throw new DownloadError(current.href, `the server answered HTTP ${status}`, status);
  }

  const hash = createHash('sha256');
  let total: number | undefined;
  if (response?.statusCode === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(response.headers['content-range'] ?? ''));
    if (!range || Number(range[1]) !== start) {
      response.destroy();
      await rm(part, { force: true });
      throw new DownloadError(
        current.href,
        `the server sent range '${response.headers['content-range']}' for a request from byte ${start}; the part file was discarded, run again`,
        206,
      );
    }
    total = range[3] === '*' ? undefined : Number(range[3]);
  } else if (response) {
    start = 0; // the server ignored Range (or there was none): start over
    const length = response.headers['content-length'];
    total = length === undefined ? undefined : Number(length);
  } else {
    total = start;
  }
  const resumedFrom = start;
  if (start > 0) await hashFile(part, hash);

  const progress = throttleProgress(onProgress, 100);
  progress({ status: 'start', task: TASK, label, unit: 'byte', ...(total === undefined ? {} : { total }) });
  const began = Date.now();
  let done = start;
  if (response) {
    const handle = await open(part, start > 0 ? 'a' : 'w');
    try {
      for await (const chunk of response) {
        const buffer = chunk as Buffer;
        hash.update(buffer);
        await handle.write(buffer);
        done += buffer.length;
        const seconds = (Date.now() - began) / 1000;
        const rate = seconds > 0 ? (done - start) / seconds : 0;
        progress({
          status: 'progress',
          task: TASK,
          label,
          done,
          unit: 'byte',
          ...(total === undefined ? {} : { total }),
          metrics: {
            bytesPerSecond: rate,
            ...(total !== undefined && rate > 0 ? { etaSeconds: (total - done) / rate } : {}),
          },
        });
      }
      await handle.sync();
    } catch (error) {
      if (signal?.aborted) throw new AbortError(TASK, signal.reason);
      throw new DownloadError(
        current.href,
        `transfer interrupted after ${done} bytes (${(error as Error).message}); run again to resume from ${part}`,
        response.statusCode,
        { cause: error },
      );
    } finally {
      await handle.close();
    }
    if (total !== undefined && done !== total) {
      throw new DownloadError(
        current.href,
        `transfer ended after ${done} of ${total} bytes; run again to resume from ${part}`,
        response.statusCode,
      );
    }
  }
  const digest = hash.digest('hex');
  if (sha256 !== undefined && digest !== sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new ChecksumMismatchError(path, sha256.toLowerCase(), digest);
  }
  await rename(part, path);
  const seconds = (Date.now() - began) / 1000;
  progress({
    status: 'end',
    task: TASK,
    label,
    done,
    total: done,
    unit: 'byte',
    metrics: { bytesPerSecond: seconds > 0 ? (done - start) / seconds : 0 },
  });
  return { path, bytes: done, sha256: digest, resumedFrom, url: current.href };
}
