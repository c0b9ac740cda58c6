import { InvalidArgumentError } from '@xling/core';
import type { EncodedSentence } from '../decode/tag-sentence.js';
import type { TaggedSentence } from '../tagged-sentence.js';
import { TAGGED_SEGMENT, contextSegment, wordSegment } from './prompt-segments.js';
import type { SegmentEncoder } from './segment-encoder.js';

/**
 * The token ids of a test sentence's segments; `gold` holds the sequence of each word's gold
 * label form (`sequences` by label index, `labelIndex` by name).
 *
 * @throws XLING_INVALID_ARGUMENT when a word's ` w_` segment encodes to no tokens (its tag would
 *   have no position of its own).
 */
export async function encodeTestSentence(
  encoder: SegmentEncoder,
  sentence: TaggedSentence,
  index: number,
  sequences: readonly (readonly number[])[],
  labelIndex: ReadonlyMap<string, number>,
  functionName: string,
): Promise<EncodedSentence> {
  const head = await encoder.encodeJoined([contextSegment(sentence.words), TAGGED_SEGMENT]);
  const words = await encoder.encode(sentence.words.map(wordSegment));
  const empty = words.findIndex((ids) => ids.length === 0);
  if (empty >= 0) {
    throw new InvalidArgumentError(
      'sentences',
      functionName,
      `must hold words whose ' w_' segment encodes to tokens, but word ${empty} of sentence ${index} does not.`,
    );
  }
  const gold = sentence.tags.map((tag) => sequences[labelIndex.get(tag)!]);
  return { head, words, gold };
}
