import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import {
  isPermanentNetworkError,
  isTransientStatus,
  markTransient,
  parseRetryAfter,
  retryDelay,
} from './download-retry.js';

const settings = (seed: number) => ({
  retries: 4,
  retryDelayMs: 100,
  maxRetryDelayMs: 1000,
  rng: createRng(seed),
});

describe('retry policy of downloadFile', () => {
  it('retryDelay(error, failures, settings) doubles per failure with 50-100 % jitter, capped, the same for one seed', () => {
    const delays = (seed: number) => {
      const s = settings(seed);
      return [1, 2, 3, 4, 5, 6].map((failures) => retryDelay(markTransient(new Error()), failures, s));
    };
    const first = delays(7);
    [100, 200, 400, 800, 1000, 1000].forEach((backoff, i) => {
      expect(first[i]).toBeGreaterThanOrEqual(backoff / 2);
      expect(first[i]).toBeLessThanOrEqual(backoff);
    });
    expect(delays(7)).toEqual(first);
    expect(delays(8)).not.toEqual(first);
  });

  it("retryDelay(error, failures, settings) waits what the server's Retry-After asks, up to the cap", () => {
    expect(retryDelay(markTransient(new Error(), 300), 1, settings(1))).toBe(300);
    expect(retryDelay(markTransient(new Error(), 120_000), 1, settings(1))).toBe(1000);
    expect(retryDelay(markTransient(new Error(), 0), 3, settings(1))).toBe(0);
  });

  it('parseRetryAfter(value, now) reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('Wed, 01 Jan 2025 00:00:00 GMT');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('isTransientStatus(status) and isPermanentNetworkError(error) tell what another attempt can cure', () => {
    expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 407, 410, 416].some(isTransientStatus)).toBe(false);
    const coded = (code: string) => Object.assign(new Error(code), { code });
    expect(isPermanentNetworkError(coded('ENOTFOUND'))).toBe(true);
    expect(isPermanentNetworkError(coded('CERT_HAS_EXPIRED'))).toBe(true);
    expect(isPermanentNetworkError(coded('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe(true);
    expect(isPermanentNetworkError(coded('ECONNRESET'))).toBe(false);
    expect(isPermanentNetworkError(coded('EAI_AGAIN'))).toBe(false);
    expect(isPermanentNetworkError(new Error('no data for 10 ms'))).toBe(false);
  });
});
