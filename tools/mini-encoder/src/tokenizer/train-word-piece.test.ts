import { describe, expect, it } from 'vitest';
import { trainWordPiece } from './train-word-piece.js';

const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

describe('trainWordPiece', () => {
  it('trainWordPiece(words) learns the known vocabulary of a tiny corpus', () => {
    // words: low x5, lower x2, newest x6, widest x3 (Sennrich et al. 2016's example).
    const words = new Map([
      ['low', 5],
      ['lower', 2],
      ['newest', 6],
      ['widest', 3],
    ]);
    // 5 special tokens + 11 characters + 9 merges.
    const vocab = trainWordPiece(words, { vocabSize: 25, specialTokens: special, minFrequency: 1 });
    const alphabet = ['##d', '##e', '##i', '##o', '##r', '##s', '##t', '##w', 'l', 'n', 'w'];
    expect(vocab.slice(0, 5)).toEqual(special);
    expect(vocab.slice(5, 5 + alphabet.length)).toEqual(alphabet);
    // Worked by hand. Initial pair counts: (##e,##s) 9, (##s,##t) 9, (##w,##e) 8, (l,##o) 7,
    // (##o,##w) 7, (n,##e) 6, (##e,##w) 6, (w,##i) 3, (##i,##d) 3, (##d,##e) 3, (##e,##r) 2.
    // Ties go to the smaller pair of strings ('#' sorts before letters):
    // ##e+##s (9), ##es+##t (9), ##o+##w (7), l+##ow (7), ##e+##w (6), ##ew+##est (6),
    // n+##ewest (6), ##d+##est (3), ##i+##dest (3).
    expect(vocab.slice(5 + alphabet.length)).toEqual([
      '##es',
      '##est',
      '##ow',
      'low',
      '##ew',
      '##ewest',
      'newest',
      '##dest',
      '##idest',
    ]);
  });

  it('trainWordPiece(words) stops below minFrequency and is deterministic', () => {
    const words = new Map([
      ['ab', 3],
      ['cd', 1],
    ]);
    const a = trainWordPiece(words, { vocabSize: 100, specialTokens: special, minFrequency: 2 });
    expect(a.slice(5)).toEqual(['##b', '##d', 'a', 'c', 'ab']);
    expect(trainWordPiece(words, { vocabSize: 100, specialTokens: special, minFrequency: 2 })).toEqual(a);
  });

  it('trainWordPiece(words) keeps only the limitAlphabet most frequent characters', () => {
    const words = new Map([
      ['aa', 10],
      ['b', 1],
    ]);
    expect(
      trainWordPiece(words, { vocabSize: 100, specialTokens: special, limitAlphabet: 1 }).slice(5),
    ).toEqual(['##a', 'a', 'aa']);
  });

  it('trainWordPiece(words) throws XLING_INVALID_ARGUMENT on a non-integer count or a bad vocabSize', () => {
    expect(() => trainWordPiece(new Map([['a', 0.5]]))).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => trainWordPiece(new Map([['a', 1]]), { vocabSize: 0 })).toThrow(/vocabSize/);
  });
});
