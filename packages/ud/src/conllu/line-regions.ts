import { ResourceLimitError } from '@xling/core';

// The streaming CoNLL-U readers (`readConllu`, `validateConlluFile`) take core's MAX_LINE_BYTES
// (1 MiB) as their default: the longest line of the 151 files of the shared UD copy has 1,704
// bytes, while a file without line ends (a 2.6 MB gzip of one 512 MiB line) costs at most this
// much memory plus one chunk before it is refused.
export { MAX_LINE_BYTES } from '@xling/core';

/**
 * Cuts a byte stream into regions of whole lines for the parser. The start of an unfinished
 * line is kept between chunks, and refused as soon as it grows past `maxLineBytes`, so a line
 * never has to arrive whole before it is measured.
 */
export class LineRegions {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;

  /**
   * @param file - Named in the error.
   * @param maxLineBytes - The limit.
   * @param linesDone - How many lines the consumer has taken so far, for the line number.
   */
  constructor(
    private readonly file: string,
    private readonly maxLineBytes: number,
    private readonly linesDone: () => number,
  ) {}

  /**
   * The whole lines that `bytes` completes, joined to the kept start of the first one, or
   * `null` when `bytes` ends no line.
   * @throws XLING_LIMIT_EXCEEDED for a line longer than the limit.
   */
  push(bytes: Buffer): Buffer | null {
    this.checkPending();
    const newline = bytes.lastIndexOf(10);
    if (newline === -1) {
      this.keep(bytes);
      this.checkPending();
      return null;
    }
    let region = bytes.subarray(0, newline + 1);
    if (this.pending.length > 0) {
      this.pending.push(region);
      region = Buffer.concat(this.pending);
      this.pending.length = 0;
      this.pendingBytes = 0;
    }
    // Only a region longer than the limit can hold a line that is.
    if (region.length > this.maxLineBytes) this.checkLines(region);
    // A too long tail is refused at the next call, once the lines before it have been taken.
    if (newline + 1 < bytes.length) this.keep(bytes.subarray(newline + 1));
    return region;
  }

  /** The unfinished last line (empty when the input ended with a line feed). */
  end(): Buffer {
    this.checkPending();
    const rest = Buffer.concat(this.pending);
    this.pending.length = 0;
    this.pendingBytes = 0;
    return rest;
  }

  private keep(bytes: Buffer): void {
    this.pendingBytes += bytes.length;
    this.pending.push(bytes);
  }

  private checkPending(): void {
    if (this.pendingBytes > this.maxLineBytes) this.fail(0);
  }

  private checkLines(region: Buffer): void {
    for (let from = 0, index = 0; from < region.length; index++) {
      const end = region.indexOf(10, from);
      if (end - from > this.maxLineBytes) this.fail(index);
      from = end + 1;
    }
  }

  /** Throws for the line `index` lines after the next one the consumer will take. */
  private fail(index: number): never {
    const line = this.linesDone() + 1 + index;
    throw new ResourceLimitError(
      this.file,
      'maxLineBytes',
      this.maxLineBytes,
      `line ${line} is longer than ${this.maxLineBytes} bytes, which no CoNLL-U file needs (a file without line ends?)`,
    );
  }
}
