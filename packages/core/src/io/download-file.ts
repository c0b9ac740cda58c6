import { createHash, type Hash, randomInt } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { type IncomingMessage, validateHeaderName, validateHeaderValue } from 'node:http';
import { basename, dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AbortError, throwIfAborted } from '../errors/abort-error.js';
import { ChecksumMismatchError } from '../errors/checksum-mismatch-error.js';
import { DownloadError } from '../errors/download-error.js';
import { FileSystemError } from '../errors/file-system-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { XlingError } from '../errors/xling-error.js';
import { checkOptions } from '../options/check-options.js';
import type { ProgressCallback } from '../progress/progress-event.js';
import { throttleProgress } from '../progress/throttle-progress.js';
import { createRng } from '../random/rng.js';
import {
  type DownloadRetry,
  isPermanentNetworkError,
  isTransient,
  isTransientStatus,
  markTransient,
  parseRetryAfter,
  type RetrySettings,
  retryDelay,
} from './download-retry.js';
import { type Exchange, httpGet, TunnelError } from './http-get.js';
import { type Environment, proxyFromEnv, withoutCredentials } from './proxy-from-env.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of {@link downloadFile}. */
export interface DownloadFileOptions {
  /** Expected SHA-256 of the whole file (hex); verified before the file is renamed into place. */
  sha256?: string;
  /**
   * Continue a previous partial download from `<destination>.part` with an HTTP Range request.
   * The part file is continued only when it provably belongs to the file the server has now: the
   * request carries `If-Range` with the ETag (or Last-Modified) recorded when the part file began,
   * or `sha256` is given and checks the result. Otherwise, or when the server answers with the
   * whole file, the download starts over. With `false` the part file is discarded.
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
   * case-insensitive; `range`, `if-range` and `accept-encoding` are set by `downloadFile` and
   * cannot be overridden. `authorization`, `cookie` and `proxy-authorization` are dropped when a
   * redirect leads to another origin (as `fetch` does), so a token never leaks to a CDN.
   * @defaultValue `{}`
   */
  headers?: Record<string, string>;
  /**
   * Further attempts after a failure that may pass: a connection error or timeout, HTTP 408, 429
   * or 5xx, a transfer cut short. Each attempt resumes the part file exactly as a new call would
   * (Range with If-Range, never splicing two versions). An attempt that received new bytes does
   * not use one up, so a long transfer over a flaky link gets through. Other 4xx answers, bad
   * certificates, unknown hosts and checksum mismatches are not retried.
   * @defaultValue 4
   */
  retries?: number;
  /** Wait before the first retry, doubled for each further one, with random jitter (50-100 %). @defaultValue 1000 */
  retryDelayMs?: number;
  /** Longest wait between attempts; also caps the server's `Retry-After`, which is honoured. @defaultValue 30000 */
  maxRetryDelayMs?: number;
  /** Seed of the jitter, for reproducible waits in tests. @defaultValue a random seed */
  retrySeed?: number;
  /** Told about each retry before its wait (to show "retrying in 2 s"). */
  onRetry?: (retry: DownloadRetry) => void;
  /**
   * Environment to read the proxy settings from: `HTTPS_PROXY` (https URLs), `HTTP_PROXY` (http
   * URLs) and `NO_PROXY` (host names with their subdomains, IP addresses, CIDR ranges, optional
   * `:port`, or `*`), lowercase forms first. Proxy credentials go in the URL
   * (`http://user:password@proxy:3128`) and only to the proxy.
   * @defaultValue `process.env`
   */
  env?: Environment;
}

/** What {@link downloadFile} did. */
export interface DownloadFileResult {
  /** Absolute path of the complete file. */
  path: string;
  /** Size of the file. */
  bytes: number;
  /**
   * SHA-256 of the file (hex), computed over exactly the bytes written: record it to verify the
   * file (or a later download, with `options.sha256`).
   */
  sha256: string;
  /** Whether `sha256` was checked against `options.sha256`. */
  verified: boolean;
  /** Bytes that a previous call left in the part file and that were kept (0 for a fresh download). */
  resumedFrom: number;
  /** URL the data finally came from (after redirects). */
  url: string;
  /** Attempts made: 1 when nothing had to be retried. */
  attempts: number;
}

/**
 * What `<destination>.part.meta` records about the response that began the part file, so that a
 * resumed transfer continues the same version of the file.
 */
interface PartInfo {
  /** URL the caller asked for: a part file of another URL is never continued. */
  url: string;
  /** Strong ETag (weak ones cannot validate byte ranges). */
  etag?: string;
  lastModified?: string;
  /** Size of the whole file, when the server announced it. */
  total?: number;
}

/** The response to read the rest of the file from, and what is known about the file. */
interface Transfer {
  /** Undefined when the part file is already the whole file. */
  exchange: Exchange | undefined;
  /** Bytes of the part file that are kept. */
  start: number;
  /** Size of the whole file, when the server announced it. */
  total: number | undefined;
  url: URL;
}

/** Settings of one `downloadFile` call that the request loop needs. */
interface DownloadJob {
  url: string;
  part: string;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRedirects: number;
  env: Environment;
  /** Whether a part file without a recorded validator may be continued (a checksum will tell). */
  checked: boolean;
}

const TASK = 'download';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Headers that carry credentials: sent to the URL's own origin only. */
const CREDENTIALS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Runs one file-system step, turning an errno error (ENOSPC, EROFS, EACCES, ...) into `XLING_FILE_SYSTEM`. */
async function onDisk<T>(action: string, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw FileSystemError.from(error, action, path);
  }
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(
      'url',
      'downloadFile',
      `must be an absolute http(s) URL, but got '${url}'.`,
    );
  }
  if (!isHttp(parsed)) {
    throw new InvalidArgumentError(
      'url',
      'downloadFile',
      `must use http or https, but got '${parsed.protocol}' in '${url}'.`,
    );
  }
  return parsed;
}

function checkHeaders(headers: unknown): Record<string, string> {
  const problem = 'must be an object of string header values (valid HTTP header names and values).';
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new InvalidArgumentError('options.headers', 'downloadFile', problem);
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    try {
      if (typeof value !== 'string') throw new TypeError(problem);
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      throw new InvalidArgumentError('options.headers', 'downloadFile', problem, { cause: error });
    }
    out[name.toLowerCase()] = value;
  }
  return out;
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

const infoPath = (part: string) => `${part}.meta`;

async function readPartInfo(part: string, url: string): Promise<PartInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(infoPath(part), 'utf8')) as PartInfo;
    return info?.url === url ? info : undefined;
  } catch {
    return undefined; // missing or damaged: nothing proves what the part file holds
  }
}

async function discardPart(part: string): Promise<void> {
  await onDisk('remove', part, () => rm(part, { force: true }));
  await onDisk('remove', infoPath(part), () => rm(infoPath(part), { force: true }));
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The validators and size a fresh (HTTP 200) response announces. */
function describeResponse(response: IncomingMessage, url: string): PartInfo {
  const etag = header(response, 'etag');
  const lastModified = header(response, 'last-modified');
  const length = header(response, 'content-length');
  return {
    url,
    ...(etag !== undefined && !etag.startsWith('W/') ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
    ...(length !== undefined ? { total: Number(length) } : {}),
  };
}

/** `bytes first-last/total` of a 206 response; `total` is undefined for `*`. */
function contentRange(response: IncomingMessage): { first: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(response, 'content-range') ?? '');
  if (!match) return undefined;
  return { first: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

/** True when a 206 answer shows that the file is no longer the one the part file came from. */
function changedSince(
  info: PartInfo | undefined,
  response: IncomingMessage,
  total: number | undefined,
): boolean {
  const now = describeResponse(response, '');
  return (
    (info?.etag !== undefined && now.etag !== undefined && info.etag !== now.etag) ||
    (info?.lastModified !== undefined &&
      now.lastModified !== undefined &&
      info.lastModified !== now.lastModified) ||
    (info?.total !== undefined && total !== undefined && info.total !== total)
  );
}

function redirectTarget(location: string, from: URL, status: number): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new DownloadError(from.href, `the server redirected to the malformed URL '${location}'`, status);
  }
  if (!isHttp(next)) {
    throw new DownloadError(
      from.href,
      `the server redirected to '${next.href}', which is not http(s)`,
      status,
    );
  }
  return next;
}

/**
 * Sends requests (following redirects) until a response carries the rest of the file: a 206
 * continuing the part file, or a 200 with the whole file (the part file then starts over).
 */
async function openTransfer(request: DownloadJob, first: URL): Promise<Transfer> {
  const { part } = request;
  let start = await sizeOf(part);
  let info = start > 0 ? await readPartInfo(part, request.url) : undefined;
  let validator = info?.etag ?? info?.lastModified;
  const restart = async () => {
    await discardPart(part);
    start = 0;
    info = undefined;
    validator = undefined;
  };
  // Without a validator or a checksum nothing proves the part file is a prefix of today's file.
  if (start > 0 && validator === undefined && !request.checked) await restart();
  let current = first;
  for (let redirects = 0; ; ) {
    const headers: Record<string, string> = { 'user-agent': 'xling' };
    for (const [name, value] of Object.entries(request.headers)) {
      if (current.origin === first.origin || !CREDENTIALS.has(name)) headers[name] = value;
    }
    headers['accept-encoding'] = 'identity';
    delete headers.range;
    delete headers['if-range'];
    if (start > 0) headers.range = `bytes=${start}-`;
    if (start > 0 && validator !== undefined) headers['if-range'] = validator;
    const proxy = proxyFromEnv(current, request.env, 'downloadFile');
    const exchange = await send(current, headers, request, proxy);
    const { response } = exchange;
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status) && response.headers.location) {
      exchange.body.resume(); // drain and drop: the body is not wanted
      if (++redirects > request.maxRedirects)
        throw new DownloadError(request.url, `more than ${request.maxRedirects} redirects`, status);
      current = redirectTarget(response.headers.location, current, status);
      continue;
    }
    if (status === 416 && start > 0) {
      // Range not satisfiable: the part file is complete if its size is the total, else stale.
      exchange.body.resume(); // drain and drop: the body is not wanted
      const total = /\/(\d+)$/.exec(header(response, 'content-range') ?? '')?.[1];
      if (Number(total) === start && (info?.total ?? start) === start) {
        return { exchange: undefined, start, total: start, url: current };
      }
      await restart();
      continue;
    }
    if (status === 206 && start > 0) {
      const range = contentRange(response);
      if (range?.first === start && !changedSince(info, response, range.total)) {
        return { exchange, start, total: range.total, url: current };
      }
      response.destroy(); // another range or another version of the file: fetch it whole
      await restart();
      continue;
    }
    if (status === 200) {
      // The old bytes go before the new validators are recorded: a crash between the two steps
      // must never leave old bytes described as the new version.
      if (start > 0) await discardPart(part);
      const fresh = describeResponse(response, request.url);
      await onDisk('write', infoPath(part), () => writeFileAtomic(infoPath(part), JSON.stringify(fresh)));
      return { exchange, start: 0, total: fresh.total, url: current };
    }
    exchange.body.resume(); // drain and drop: the body is not wanted
    throw refusal(current, status, response, proxy);
  }
}

/** Sends one GET (through `proxy`, when there is one). */
async function send(
  url: URL,
  headers: Record<string, string>,
  request: DownloadJob,
  proxy: URL | undefined,
): Promise<Exchange> {
  const { signal, timeoutMs } = request;
  try {
    return await httpGet(url, headers, { signal, timeoutMs, proxy });
  } catch (error) {
    if (signal?.aborted) throw new AbortError(TASK, signal.reason);
    const tunnel = error instanceof TunnelError ? error.status : undefined;
    const failure = new DownloadError(url.href, proxyHint((error as Error).message, tunnel), tunnel, {
      cause: error,
    });
    const permanent = tunnel === undefined ? isPermanentNetworkError(error) : !isTransientStatus(tunnel);
    throw permanent ? failure : markTransient(failure);
  }
}

/** Points out where proxy credentials go when a proxy asks for them (HTTP 407). */
function proxyHint(problem: string, status: number | undefined): string {
  if (status !== 407) return problem;
  return `${problem}; give the proxy's credentials in its URL (HTTPS_PROXY or HTTP_PROXY=http://user:password@host:port)`;
}

/** The error for an HTTP answer that carries no file; transient ones are retried. */
function refusal(url: URL, status: number, response: IncomingMessage, via: URL | undefined): DownloadError {
  const problem = `the server${via ? ` (via the proxy ${withoutCredentials(via.origin)})` : ''} answered HTTP ${status}`;
  const error = new DownloadError(url.href, proxyHint(problem, status), status);
  if (!isTransientStatus(status)) return error;
  return markTransient(error, parseRetryAfter(header(response, 'retry-after'), Date.now()));
}

/** Emits the `download` progress events of one transfer. */
interface Report {
  start(): void;
  progress(done: number): void;
  end(done: number): void;
}

/** Appends the response body to the part file (or replaces it when `start` is 0); returns the new size. */
async function receive(
  transfer: Transfer & { exchange: Exchange },
  part: string,
  hash: Hash,
  report: Report,
) {
  const { exchange, start, total, url } = transfer;
  const handle = await onDisk('open', part, () => open(part, start > 0 ? 'a' : 'w'));
  let done = start;
  try {
    for await (const chunk of exchange.body) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      await onDisk('write', part, () => handle.write(buffer));
      done += buffer.length;
      report.progress(done);
    }
    await onDisk('write', part, () => handle.sync());
    if (exchange.cut !== undefined) throw exchange.cut;
  } catch (error) {
    if (XlingError.isInstance(error)) throw error;
    throw markTransient(
      new DownloadError(
        url.href,
        `transfer interrupted after ${done} bytes (${(error as Error).message}); run again to resume from ${part}`,
        exchange.response.statusCode,
        { cause: error },
      ),
    );
  } finally {
    await handle.close();
  }
  // Let the connection report data that arrived past the announced end.
  await new Promise((next) => setImmediate(next));
  if (exchange.fault !== undefined) {
    throw new DownloadError(
      url.href,
      `the server sent more data than the ${total ?? '?'} bytes it announced (${exchange.fault.message}); run again to resume from ${part}`,
      exchange.response.statusCode,
      { cause: exchange.fault },
    );
  }
  if (total !== undefined && done !== total) {
    throw markTransient(
      new DownloadError(
        url.href,
        `transfer ended after ${done} of ${total} bytes; run again to resume from ${part}`,
        exchange.response.statusCode,
      ),
    );
  }
  return done;
}

function progressReporter(
  onProgress: ProgressCallback | undefined,
  label: string,
  total: number | undefined,
  start: number,
): Report {
  const progress = throttleProgress(onProgress, 100);
  const began = Date.now();
  const sized = total === undefined ? {} : { total };
  const rate = (done: number) => {
    const seconds = (Date.now() - began) / 1000;
    return seconds > 0 ? (done - start) / seconds : 0;
  };
  const base = { task: TASK, label, unit: 'byte' } as const;
  return {
    start: () => progress({ status: 'start', ...base, ...sized }),
    progress(done) {
      const bytesPerSecond = rate(done);
      const metrics: Record<string, number> = { bytesPerSecond };
      if (total !== undefined && bytesPerSecond > 0) metrics.etaSeconds = (total - done) / bytesPerSecond;
      progress({ status: 'progress', ...base, done, ...sized, metrics });
    },
    end: (done) =>
      progress({ status: 'end', ...base, done, total: done, metrics: { bytesPerSecond: rate(done) } }),
  };
}

const CONSTRAINTS = {
  sha256: { type: 'string' },
  resume: { type: 'boolean' },
  onProgress: { type: 'function' },
  maxRedirects: { type: 'integer', min: 0, max: 20 },
  timeoutMs: { type: 'integer', min: 1 },
  label: { type: 'string' },
  retries: { type: 'integer', min: 0, max: 100 },
  retryDelayMs: { type: 'integer', min: 0 },
  maxRetryDelayMs: { type: 'integer', min: 0 },
  retrySeed: { type: 'integer' },
} as const;

/** What the attempts of one call share. */
interface Attempts {
  /** Progress of the whole call: made by the first attempt that reached the server. */
  report?: Report;
  /** Bytes of an earlier call's part file kept by this one (0 once an attempt started over). */
  resumedFrom?: number;
}

/**
 * One attempt: opens the transfer (resuming the part file when it can), hashes what the part
 * file already holds and appends the rest; resolves once the part file holds the whole file.
 */
async function fetchOnce(
  job: DownloadJob,
  first: URL,
  shared: Attempts,
  newReport: (total: number | undefined, start: number) => Report,
) {
  const transfer = await openTransfer(job, first);
  const hash = createHash('sha256');
  if (transfer.start > 0) await onDisk('read', job.part, () => hashFile(job.part, hash));
  if (shared.report === undefined) {
    shared.report = newReport(transfer.total, transfer.start);
    shared.report.start();
  }
  shared.resumedFrom = transfer.start === 0 ? 0 : (shared.resumedFrom ?? transfer.start);
  const done = transfer.exchange
    ? await receive({ ...transfer, exchange: transfer.exchange }, job.part, hash, shared.report)
    : transfer.start;
  return { done, digest: hash.digest('hex'), url: transfer.url.href };
}

/**
 * Runs `attempt` until it succeeds, fails for good, or `settings.retries` attempts in a row
 * failed without adding a byte to the part file. Waits between attempts (abortable).
 */
async function withRetries<T>(
  job: DownloadJob,
  settings: RetrySettings,
  onRetry: ((retry: DownloadRetry) => void) | undefined,
  attempt: () => Promise<T>,
): Promise<{ value: T; attempts: number }> {
  const { signal, part } = job;
  let furthest = await sizeOf(part);
  let failures = 0;
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await attempt(), attempts };
    } catch (error) {
      if (signal?.aborted) throw new AbortError(TASK, signal.reason);
      if (!isTransient(error)) throw error;
      const size = await sizeOf(part);
      if (size > furthest) [furthest, failures] = [size, 0];
      if (++failures > settings.retries) throw error;
      const delayMs = retryDelay(error as Error, failures, settings);
      onRetry?.({ attempt: attempts, delayMs, error: error as DownloadError });
      await sleep(delayMs, undefined, signal ? { signal } : {}).catch(() => {
        throw new AbortError(TASK, signal?.reason);
      });
    }
  }
}

/**
 * Downloads `url` (http or https) to `destination`, resumably and atomically: the bytes go to
 * `<destination>.part` (continued with an HTTP Range request when a previous attempt left one),
 * the SHA-256 is checked when given, and only then is the part file renamed to `destination`.
 * A failed transfer keeps the part file so that the same call resumes it.
 *
 * Integrity without `sha256`: the ETag or Last-Modified of the response that began the part file
 * is kept in `<destination>.part.meta` and sent as `If-Range` when resuming, so a file changed on
 * the server is fetched whole again, never spliced; the bytes received must add up to the
 * announced length (Content-Length, or the Content-Range total). The SHA-256 of what was written
 * is always returned.
 *
 * Failures that may pass (connection errors, timeouts, HTTP 408/429/5xx, a transfer cut short)
 * are retried with exponential backoff and jitter, honouring `Retry-After`; each retry resumes
 * the part file under the same rules. Requests go through the proxy that `HTTPS_PROXY` /
 * `HTTP_PROXY` name unless `NO_PROXY` covers the host (https through a `CONNECT` tunnel).
 *
 * @example
 * await downloadFile('https://example.org/ud-treebanks-v2.15.tgz', 'data/ud-2.15.tgz', {
 *   sha256: '…',
 *   onProgress: (event) => console.log(event),
 * });
 * @throws XLING_DOWNLOAD_FAILED on network errors, HTTP errors, a malformed or non-http redirect, and
 *   transfers shorter or longer than announced, once the retries are spent (the part file is kept:
 *   resume by calling again).
 * @throws XLING_INVALID_ARGUMENT also for a proxy variable that is not an http(s) URL.
 * @throws XLING_CHECKSUM_MISMATCH when the SHA-256 differs (the bad file is deleted).
 * @throws XLING_FILE_SYSTEM when the part file or destination cannot be written (disk full, read-only, ...).
 * @throws XLING_INVALID_ARGUMENT for a URL that is not absolute http(s), or bad options.
 * @throws XLING_ABORTED when `signal` fires (the part file is kept).
 */
export async function downloadFile(
  url: string,
  destination: string,
  options: DownloadFileOptions = {},
): Promise<DownloadFileResult> {
  const { signal, headers: extraHeaders = {}, env = process.env, onRetry, ...checked } = options;
  checkOptions(checked, CONSTRAINTS, 'downloadFile');
  checkOptions({ env, onRetry }, { env: { type: 'object' }, onRetry: { type: 'function' } }, 'downloadFile');
  const { sha256, resume = true, onProgress, maxRedirects = 5, timeoutMs = 60_000 } = checked;
  const { retries = 4, retryDelayMs = 1000, maxRetryDelayMs = 30_000 } = checked;
  const headers = checkHeaders(extraHeaders);
  const first = parseUrl(url);
  proxyFromEnv(first, env, 'downloadFile'); // a bad proxy setting fails before any work
  if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha256)) {
    throw new InvalidArgumentError(
      'options.sha256',
      'downloadFile',
      `must be 64 hex digits, but got '${sha256}'.`,
    );
  }
  const path = resolve(destination);
  const part = `${path}.part`;
  await onDisk('create the folder', dirname(path), () => mkdir(dirname(path), { recursive: true }));
  if (!resume) await discardPart(part);
  throwIfAborted(signal, TASK);

  const job: DownloadJob = {
    url,
    part,
    headers,
    signal,
    timeoutMs,
    maxRedirects,
    env,
    checked: sha256 !== undefined,
  };
  const rng = createRng(checked.retrySeed ?? randomInt(2 ** 32));
  const settings: RetrySettings = { retries, retryDelayMs, maxRetryDelayMs, rng };
  const shared: Attempts = {};
  const newReport = (total: number | undefined, start: number) =>
    progressReporter(onProgress, checked.label ?? basename(path), total, start);
  const { value, attempts } = await withRetries(job, settings, onRetry, () =>
    fetchOnce(job, first, shared, newReport),
  );
  const { done, digest } = value;
  if (sha256 !== undefined && digest !== sha256.toLowerCase()) {
    await discardPart(part);
    throw new ChecksumMismatchError(path, sha256.toLowerCase(), digest);
  }
  await onDisk('rename the download to', path, () => rename(part, path));
  await discardPart(part);
  shared.report?.end(done);
  return {
    path,
    bytes: done,
    sha256: digest,
    verified: sha256 !== undefined,
    resumedFrom: shared.resumedFrom ?? 0,
    url: value.url,
    attempts,
  };
}
