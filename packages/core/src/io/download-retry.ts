import type { DownloadError } from '../errors/download-error.js';
import type { Rng } from '../random/rng.js';

/** A failed attempt of `downloadFile` that is tried again, as reported to `onRetry`. */
export interface DownloadRetry {
  /** Number of the attempt that failed (1 for the first). */
  attempt: number;
  /** Milliseconds until the next attempt. */
  delayMs: number;
  /** What went wrong. */
  error: DownloadError;
}

/** Settings of the retry loop of `downloadFile`. */
export interface RetrySettings {
  retries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  rng: Rng;
}

/** Errors that trying again can cure, with the wait the server asked for (`Retry-After`). */
const transient = new WeakMap<Error, { retryAfterMs: number | undefined }>();

/** Marks `error` as worth another attempt; returns it for `throw`. */
export function markTransient<E extends Error>(error: E, retryAfterMs?: number): E {
  transient.set(error, { retryAfterMs });
  return error;
}

export function isTransient(error: unknown): boolean {
  return error instanceof Error && transient.has(error);
}

/** Timeouts and server trouble; other 4xx answers (a wrong URL, no access) stay as they are. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Connection errors that another attempt cannot cure: an unknown host, a bad certificate. */
export function isPermanentNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^ENOTFOUND$|CERT|^ERR_TLS_|^ERR_SSL_/.test(code);
}

/** `Retry-After` in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Wait before attempt `failures + 1`: the server's `Retry-After` when it sent one, else
 * exponential backoff (`retryDelayMs`, doubled per failure) with "equal jitter" (half fixed, half
 * random), so that many clients cut off at once do not come back at once. Capped by
 * `maxRetryDelayMs` either way.
 */
export function retryDelay(error: Error, failures: number, settings: RetrySettings): number {
  const asked = transient.get(error)?.retryAfterMs;
  if (asked !== undefined) return Math.min(asked, settings.maxRetryDelayMs);
  const backoff = Math.min(settings.retryDelayMs * 2 ** (failures - 1), settings.maxRetryDelayMs);
  return Math.round(backoff / 2 + (settings.rng.next() * backoff) / 2);
}
