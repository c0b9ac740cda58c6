import { InvalidArgumentError } from '@xling/core';
import type { TaggedSentence } from '../tagged-sentence.js';

/** Token accuracies of the two baselines of Blevins et al. (2023). */
export interface MajorityBaselines {
  /** The most frequent tag of the fit data. */
  majorityTag: string;
  /** Accuracy of tagging every word with `majorityTag`. */
  majorityTagAccuracy: number;
  /** Accuracy of each word form's most frequent fit tag (`majorityTag` for unseen forms). */
  perWordMajorityAccuracy: number;
}

/** The most frequent key of `counts` (the first counted on a tie). */
function mostFrequent(counts: Map<string, number>): string {
  let best = '';
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount) [best, bestCount] = [key, count];
  }
  return best;
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * The majority-tag and per-word-majority baselines: tags learnt from `fit` (the demonstration
 * pool's split), accuracy over every word of `test`. Word forms match exactly (case included).
 *
 * @throws XLING_INVALID_ARGUMENT when `fit` or `test` has no words.
 * @example
 * majorityBaselines(train, test).perWordMajorityAccuracy; // 0.81 on English GUM UPOS
 */
export function majorityBaselines(
  fit: readonly TaggedSentence[],
  test: readonly TaggedSentence[],
): MajorityBaselines {
  const tags = new Map<string, number>();
  const byWord = new Map<string, Map<string, number>>();
  for (const sentence of fit) {
    sentence.words.forEach((word, i) => {
      count(tags, sentence.tags[i]);
      if (!byWord.has(word)) byWord.set(word, new Map());
      count(byWord.get(word)!, sentence.tags[i]);
    });
  }
  const majorityTag = mostFrequent(tags);
  for (const [argument, sentences] of [
    ['fit', fit],
    ['test', test],
  ] as const) {
    if (!sentences.some((sentence) => sentence.words.length > 0)) {
      throw new InvalidArgumentError(
        argument,
        'majorityBaselines',
        'must hold at least one word, but got none.',
      );
    }
  }
  let words = 0;
  let majority = 0;
  let perWord = 0;
  for (const sentence of test) {
    sentence.words.forEach((word, i) => {
      const wordCounts = byWord.get(word);
      words++;
      if (sentence.tags[i] === majorityTag) majority++;
      if (sentence.tags[i] === (wordCounts ? mostFrequent(wordCounts) : majorityTag)) perWord++;
    });
  }
  return {
    majorityTag,
    majorityTagAccuracy: majority / words,
    perWordMajorityAccuracy: perWord / words,
  };
}
