import { InvalidArgumentError } from '@xling/core';
import type { WordTokenizer } from './word-tokenizer.js';

/** What to do with sentences longer than the model's limit. */
export type Overflow = 'skip' | 'window';

/** What to do with a word that tokenises to nothing (e.g. a lone zero-width space). */
export type EmptyWord = 'unk' | 'error';

/** One model input: special tokens around a run of whole words. */
export interface SequenceWindow {
  ids: number[];
  /** Token span [start, end) of each word of the window, in `ids` positions. */
  spans: Array<[number, number]>;
}

/** A sentence turned into one or more model inputs. */
export interface SentenceSequences {
  windows: SequenceWindow[];
  /** Sub-word pieces of each word. */
  subwordCounts: number[];
  /** Words that tokenised to nothing and were given the unknown token. */
  emptyWords: number;
}

/** Options of {@link buildSequences}. */
export interface BuildSequencesOptions {
  maxLength: number;
  overflow: Overflow;
  emptyWord: EmptyWord;
  /** Names the sentence in error messages. */
  where: string;
  functionName: string;
}

/**
 * Tokenises a sentence word by word and frames it with the family's special tokens. Sentences
 * longer than `maxLength` are skipped (returns the reason) or, with `overflow: 'window'`, cut
 * into consecutive windows of whole words, each framed by its own special tokens.
 */
export async function buildSequences(
  tokenizer: WordTokenizer,
  words: readonly string[],
  options: BuildSequencesOptions,
): Promise<SentenceSequences | { skipped: string }> {
  const { maxLength, overflow, emptyWord, where, functionName } = options;
  if (words.length === 0) {
    throw new InvalidArgumentError(
      'sentences',
      functionName,
      `must not hold empty sentences, but ${where} has no words.`,
    );
  }
  const pieces = await tokenizer.tokenizeWords(words);
  let emptyWords = 0;
  pieces.forEach((ids, i) => {
    if (ids.length > 0) return;
    if (emptyWord === 'error' || tokenizer.unkId === null) {
      throw new InvalidArgumentError(
        'sentences',
        functionName,
        `has a word that tokenises to nothing: word ${i + 1} (${JSON.stringify(words[i])}) of ${where}${tokenizer.unkId === null ? ', and the tokenizer has no unknown token to stand for it' : " (use emptyWord: 'unk' to give it the unknown token)"}.`,
      );
    }
    pieces[i] = [tokenizer.unkId];
    emptyWords++;
  });
  const head = tokenizer.startId === null ? [] : [tokenizer.startId];
  const tail = tokenizer.endId === null ? [] : [tokenizer.endId];
  const budget = maxLength - head.length - tail.length;
  const total = pieces.reduce((n, p) => n + p.length, 0);
  if (total > budget && overflow === 'skip') {
    return { skipped: `${total + head.length + tail.length} tokens > limit ${maxLength}` };
  }
  const windows: SequenceWindow[] = [];
  let current: SequenceWindow = { ids: [...head], spans: [] };
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (p.length > budget)
      return { skipped: `word ${i + 1} alone has ${p.length} tokens > limit ${maxLength}` };
    if (current.ids.length - head.length + p.length > budget) {
      current.ids.push(...tail);
      windows.push(current);
      current = { ids: [...head], spans: [] };
    }
    current.spans.push([current.ids.length, current.ids.length + p.length]);
    current.ids.push(...p);
  }
  current.ids.push(...tail);
  windows.push(current);
  return { windows, subwordCounts: pieces.map((p) => p.length), emptyWords };
}
