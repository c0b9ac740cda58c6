import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from './word-piece-tokenizer.js';

const vocab = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  'un',
  'unaff',
  '##aff',
  '##able',
  '##a',
  '##ble',
  'x',
  '##y',
  ',',
  'a',
  '中',
  '國',
];
const t = new WordPieceTokenizer(vocab);
const tokens = (word: string) => t.tokenizeWord(word).map((id) => vocab[id]);

describe('WordPieceTokenizer', () => {
  it('tokenizeWord(word) takes the longest vocabulary match first, then ## pieces', () => {
    // 'unaff' beats 'un' + '##aff'; '##able' beats '##a' + '##ble'.
    expect(tokens('unaffable')).toEqual(['unaff', '##able']);
    expect(tokens('unable')).toEqual(['un', '##able']);
    expect(tokens('una')).toEqual(['un', '##a']);
  });

  it('tokenizeWord(word) gives [UNK] for a piece with no full segmentation', () => {
    expect(tokens('unz')).toEqual(['[UNK]']);
    expect(tokens('y')).toEqual(['[UNK]']); // '##y' does not match at the start of a word
    expect(tokens('xy')).toEqual(['x', '##y']);
  });

  it('tokenizeWord(word) splits punctuation and CJK ideographs before WordPiece', () => {
    expect(tokens('un,able')).toEqual(['un', ',', 'a', '##ble']);
    expect(tokens('中國')).toEqual(['中', '國']);
    expect(tokens('x,')).toEqual(['x', ',']);
  });

  it('tokenizeWord(word) is cased and keeps accents', () => {
    expect(tokens('Un')).toEqual(['[UNK]']);
    expect(tokens('ún')).toEqual(['[UNK]']);
  });

  it('tokenizeWord(word) gives [UNK] for words over maxInputCharsPerWord characters', () => {
    const short = new WordPieceTokenizer(vocab, 4);
    expect(short.tokenizeWord('unaffable').map((id) => vocab[id])).toEqual(['[UNK]']);
    expect(short.tokenizeWord('una').map((id) => vocab[id])).toEqual(['un', '##a']);
  });

  it('encodeWords(words, maxLength) tokenises each word separately between [CLS] and [SEP], truncating', () => {
    expect([...t.encodeWords(['unable', 'x'])].map((id) => vocab[id])).toEqual([
      '[CLS]',
      'un',
      '##able',
      'x',
      '[SEP]',
    ]);
    expect([...t.encodeWords(['unable', 'x', 'una'], 4)].map((id) => vocab[id])).toEqual([
      '[CLS]',
      'un',
      '##able',
      '[SEP]',
    ]);
  });

  it('toTokenizerJson() round-trips through fromTokenizerJson and is a Hugging Face WordPiece tokenizer', () => {
    const json = t.toTokenizerJson() as {
      model: { type: string; vocab: Record<string, number> };
      normalizer: { lowercase: boolean };
    };
    expect(json.model.type).toBe('WordPiece');
    expect(json.model.vocab['[MASK]']).toBe(4);
    expect(json.normalizer.lowercase).toBe(false);
    expect(WordPieceTokenizer.fromTokenizerJson(json).vocab).toEqual(vocab);
  });

  it('new WordPieceTokenizer(vocab) throws XLING_INVALID_ARGUMENT without the special tokens', () => {
    expect(() => new WordPieceTokenizer(['a', 'b'])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(/\[PAD\]/) }),
    );
  });

  it('tokenizeWord(word) gives the same ids as Hugging Face tokenizers on the written tokenizer.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-wp-'));
    const file = join(dir, 'tokenizer.json');
    await writeFile(file, JSON.stringify(t.toTokenizerJson()));
    const hf = Tokenizer.fromFile(file);
    const words = [
      'unaffable',
      'unable',
      'un,able',
      '中國',
      'x中y',
      'Un',
      'ún',
      'una\u200b',
      'xy!',
      'a$b',
      '',
      ' ',
      'x'.repeat(101),
      'x'.repeat(100),
    ];
    const encodings = await hf.encodeBatch(words, { addSpecialTokens: false });
    words.forEach((word, i) => {
      expect(t.tokenizeWord(word), JSON.stringify(word)).toEqual(encodings[i].getIds());
    });
  });
});
