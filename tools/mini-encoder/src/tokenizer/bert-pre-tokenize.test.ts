import { describe, expect, it } from 'vitest';
import { bertNormalize, bertPreTokenize } from './bert-pre-tokenize.js';

describe('bertNormalize', () => {
  it('bertNormalize(text) keeps case and accents, removes control characters, spaces CJK ideographs', () => {
    expect(bertNormalize('Ünïcode')).toBe('Ünïcode');
    expect(bertNormalize('a\u200Bb\u0000c\uFFFD')).toBe('abc');
    expect(bertNormalize('a\tb\nc')).toBe('a b c');
    expect(bertNormalize('中文')).toBe(' 中  文 ');
    expect(bertNormalize('かな')).toBe('かな'); // kana are not CJK ideographs in BERT
  });
});

describe('bertPreTokenize', () => {
  it('bertPreTokenize(text) splits on whitespace and makes each punctuation character a piece', () => {
    expect(bertPreTokenize(" Hello,  world!! it's ")).toEqual([
      'Hello',
      ',',
      'world',
      '!',
      '!',
      'it',
      "'",
      's',
    ]);
    // ASCII symbols count as punctuation in BERT; Unicode punctuation too.
    expect(bertPreTokenize('a$b«c»')).toEqual(['a', '$', 'b', '«', 'c', '»']);
  });

  it('bertPreTokenize(text) returns [] for empty or blank input', () => {
    expect(bertPreTokenize('')).toEqual([]);
    expect(bertPreTokenize('   ')).toEqual([]);
  });
});
