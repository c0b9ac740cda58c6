import { InvalidArgumentError } from '@xling/core';
import type { Sentence } from '@xling/ud';

/** A sentence as ICL sees it: word forms and one tag per word. */
export interface TaggedSentence {
  words: readonly string[];
  tags: readonly string[];
}

/** The tagging task: which CoNLL-U column gives the tags. */
export type IclTask = 'upos' | 'deprel';

/**
 * Word forms and tags (UPOS or deprel) of UD sentences, one word per CoNLL-U word line: run
 * `preprocessSentences` of `@xling/ud` first for the project's word units (multiword tokens
 * merged, deprel subtypes stripped).
 *
 * @example
 * const tagged = taggedSentences(preprocessSentences(sentences).sentences, 'upos');
 */
export function taggedSentences(sentences: Iterable<Sentence>, task: IclTask = 'upos'): TaggedSentence[] {
  return Array.from(sentences, (sentence) => ({
    words: sentence.words.map((word) => word.form),
    tags: sentence.words.map((word) => word[task]),
  }));
}

/**
 * Checks that every sentence has words, one tag per word from `labels`, and words that are
 * non-empty and on one line (the prompt's lines are its structure; a space inside a word, as in
 * Vietnamese UD, stays: each ` w_i_` segment marks the word anyway).
 *
 * @throws XLING_INVALID_ARGUMENT naming the sentence and word.
 */
export function checkTaggedSentences(
  sentences: unknown,
  labels: ReadonlySet<string>,
  argument: string,
  functionName: string,
): asserts sentences is readonly TaggedSentence[] {
  const fail = (problem: string): never => {
    throw new InvalidArgumentError(argument, functionName, problem);
  };
  if (!Array.isArray(sentences)) fail(`must be an array of { words, tags }, but got ${typeof sentences}.`);
  (sentences as unknown[]).forEach((sentence, index) => {
    const { words, tags } = (sentence ?? {}) as Partial<TaggedSentence>;
    if (!Array.isArray(words) || !Array.isArray(tags) || words.length === 0 || words.length !== tags.length) {
      fail(`must hold sentences with as many tags as words (at least one), but sentence ${index} does not.`);
    }
    (words as unknown[]).forEach((word, i) => {
      if (typeof word !== 'string' || word === '' || /[\r\n]/.test(word)) {
        fail(
          `must hold non-empty words without line breaks, but word ${i} of sentence ${index} is ${JSON.stringify(word)}.`,
        );
      }
      if (!labels.has(tags![i])) {
        fail(
          `must hold tags of the task's label set, but word ${i} of sentence ${index} has ${JSON.stringify(tags![i])}.`,
        );
      }
    });
  });
}
