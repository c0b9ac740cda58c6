import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';
import { demonstrationIds } from './demonstration-ids.js';
import { UPOS_TAGS, decoderTokenizer } from './prompt-tokens.js';

const encoder = new WordPieceTokenizer([
  ...SPECIAL_TOKENS,
  ':',
  '_',
  'D',
  'N',
  '##O',
  'do',
  '##gs',
  'bark',
  '.',
]);
const decoder = decoderTokenizer(encoder);

describe('decoderTokenizer(encoder)', () => {
  it('keeps the encoder ids and appends every UPOS tag and prompt word as one piece', () => {
    expect(decoder.vocab.slice(0, encoder.vocab.length)).toEqual(encoder.vocab);
    for (const tag of [...UPOS_TAGS, 'Context', 'Tagged']) expect(decoder.tokenizeWord(tag)).toHaveLength(1);
    expect(decoder.vocab).toHaveLength(encoder.vocab.length + UPOS_TAGS.length + 2);
  });
});

describe('demonstrationIds(tokenizer, words, tags)', () => {
  const words = ['dogs', 'bark', '.'];
  const tags = ['NOUN', 'VERB', 'PUNCT'];

  it("gives the ids Hugging Face tokenizers gives the prompt text (@xling/icl's format), tags marked", async () => {
    const { ids, tagMask } = demonstrationIds(decoder, words, tags);
    const dir = await mkdtemp(join(tmpdir(), 'xling-decoder-'));
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(decoder.toTokenizerJson()));
    const hf = Tokenizer.fromFile(join(dir, 'tokenizer.json'));
    const text = 'Context: dogs bark .\nTagged: dogs_NOUN bark_VERB ._PUNCT\n';
    const [encoding] = await hf.encodeBatch([text], { addSpecialTokens: false });
    expect(ids).toEqual(encoding.getIds());
    expect(ids.filter((_, i) => tagMask[i] === 1).map((id) => decoder.vocab[id])).toEqual(tags);
    expect(tagMask).toHaveLength(ids.length);
  });
});
