import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';
import { demonstrationIds } from './demonstration-ids.js';
import { decoderTokenizer } from './prompt-tokens.js';
import { writeDecoderCorpus } from './write-decoder-corpus.js';

const int32 = async (path: string) => {
  const bytes = await readFile(path);
  return Array.from(new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
};

describe('writeDecoderCorpus', () => {
  it('writes tagged demonstrations, holding out those whose words are held-out plain sentences', async () => {
    const work = await mkdtemp(join(tmpdir(), 'xling-decoder-corpus-'));
    const tokenizer = decoderTokenizer(new WordPieceTokenizer([...SPECIAL_TOKENS, ':', '_', 'a', 'b']));
    const corpora = [
      { language: 'xx', sources: ['X/train'], train: [['a'], ['b']], heldOut: [['a', 'b']] },
      { language: 'yy', sources: ['Y/dev'], train: [['b']], heldOut: [] },
    ];
    const tagged = new Map([
      [
        'xx',
        [
          { words: ['a'], tags: ['NOUN'] },
          { words: ['a', 'b'], tags: ['DET', 'NOUN'] },
        ],
      ],
    ]);
    const rows = await writeDecoderCorpus(work, corpora, tagged, tokenizer, 0.5);
    expect(rows).toEqual([
      { language: 'xx', trainSentences: 1, heldOutSentences: 1, trainTokens: 8, probability: 1 },
    ]);
    const dir = join(work, 'corpus');
    const train = demonstrationIds(tokenizer, ['a'], ['NOUN']);
    const held = demonstrationIds(tokenizer, ['a', 'b'], ['DET', 'NOUN']);
    expect(await int32(join(dir, 'tagged-train.tokens.i32'))).toEqual(train.ids);
    expect(await int32(join(dir, 'tagged-train.tagmask.i32'))).toEqual(train.tagMask);
    expect(await int32(join(dir, 'tagged-heldout.tokens.i32'))).toEqual(held.ids);
    expect(await int32(join(dir, 'tagged-heldout.languages.i32'))).toEqual([0]);
    const meta = JSON.parse(await readFile(join(dir, 'decoder.json'), 'utf8'));
    expect(meta).toEqual({ taggedProbabilities: [1, 0], bosId: tokenizer.clsId, sepId: tokenizer.sepId });
    // The plain sentences are the encoder's export, [CLS] w… [SEP].
    expect(await int32(join(dir, 'train.tokens.i32'))).toEqual([2, 7, 3, 2, 8, 3, 2, 8, 3]);
  });
});
