import type { WordTokenizer } from '@xling/extract';

/**
 * Encodes prompt segments with the decoder's tokenizer, each on its own without special tokens,
 * remembering every segment seen (word segments and labels repeat across sentences and runs).
 */
export class SegmentEncoder {
  private readonly known = new Map<string, readonly number[]>();
  private readonly tokenizer: WordTokenizer;

  constructor(tokenizer: WordTokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Token ids of each segment. */
  async encode(segments: readonly string[]): Promise<(readonly number[])[]> {
    const missing = [...new Set(segments.filter((segment) => !this.known.has(segment)))];
    const ids = await this.tokenizer.encodeTexts(missing);
    for (const [i, segment] of missing.entries()) this.known.set(segment, ids[i]);
    return segments.map((segment) => this.known.get(segment)!);
  }

  /** The ids of all `segments`, concatenated. */
  async encodeJoined(segments: readonly string[]): Promise<number[]> {
    return (await this.encode(segments)).flat();
  }
}
