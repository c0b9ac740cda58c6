import { XlingError, type XlingErrorOptions } from './xling-error.js';

/**
 * A download failed: a network error, an HTTP status other than 200/206, a transfer that ended
 * early, or a remote file name that would land outside the target folder. Code
 * `XLING_DOWNLOAD_FAILED`. The partial file (`<destination>.part`) is kept, so running the same
 * download again resumes it.
 */
export class DownloadError extends XlingError {
  readonly url: string;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;

  constructor(url: string, problem: string, status?: number, options: XlingErrorOptions = {}) {
    super('XLING_DOWNLOAD_FAILED', `Download of ${url} failed: ${problem}`, options);
    this.name = 'DownloadError';
    this.url = url;
    this.status = status;
  }
}
