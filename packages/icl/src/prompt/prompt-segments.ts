import type { TaggedSentence } from '../tagged-sentence.js';

/**
 * The text segments of structured prompting (Blevins et al. 2023, ICL.md), in order. Each segment
 * is tokenised on its own and the ids concatenated, so that the label tokens after ` w_i_` are
 * exactly the label trie's sequences, the demonstration prefix is one fixed id sequence whose
 * cache every test sentence reuses, and the test words can be encoded before any label is known.
 * A tokenizer that would merge across a boundary (`_` with the label's first letters in a BPE)
 * therefore sees the boundary: the prompt is what the decoder is scored on, not a re-tokenised
 * string.
 */
export const TAGGED_SEGMENT = 'Tagged:';
/** Ends a demonstration. */
export const END_SEGMENT = '\n';

/** `Context: w1 … wn` and the newline. */
export function contextSegment(words: readonly string[]): string {
  return `Context: ${words.join(' ')}\n`;
}

/** ` w_`: the text after which a word's tag is predicted. */
export function wordSegment(word: string): string {
  return ` ${word}_`;
}

/** ` w_i_` and the form of each of the first `forms.length` words. */
function taggedWordSegments(words: readonly string[], forms: readonly string[]): string[] {
  return forms.flatMap((form, i) => [wordSegment(words[i]), form]);
}

/** All segments of one demonstration, its tags shown as `forms` (aligned with the words). */
export function demonstrationSegments(words: readonly string[], forms: readonly string[]): string[] {
  return [contextSegment(words), TAGGED_SEGMENT, ...taggedWordSegments(words, forms), END_SEGMENT];
}

/**
 * The prompt as text: the demonstrations, then the test sentence up to `Tagged:` followed by the
 * tags given so far (`tagged`, none by default) and the next ` w_i_`.
 *
 * @param demonstrations - Sentences with their tags already in the label form to show.
 * @example
 * formatPrompt([{ words: ['Dogs', 'bark'], tags: ['NOUN', 'VERB'] }], ['Cats', 'purr'], ['NOUN']);
 * // 'Context: Dogs bark\nTagged: Dogs_NOUN bark_VERB\nContext: Cats purr\nTagged: Cats_NOUN purr_'
 */
export function formatPrompt(
  demonstrations: readonly TaggedSentence[],
  words: readonly string[],
  tagged: readonly string[] = [],
): string {
  const segments = demonstrations.flatMap((d) => demonstrationSegments(d.words, d.tags));
  segments.push(contextSegment(words), TAGGED_SEGMENT, ...taggedWordSegments(words, tagged));
  if (tagged.length < words.length) segments.push(wordSegment(words[tagged.length]));
  return segments.join('');
}
