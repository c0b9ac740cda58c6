import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';
import { writeCorpus } from './write-corpus.js';

const int32 = async (path: string) => {
  const bytes = await readFile(path);
  return Array.from(new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
};

describe('writeCorpus', () => {
  it('packs every sentence with its offsets and language, in order, as little-endian int32', async () => {
    const work = await mkdtemp(join(tmpdir(), 'xling-corpus-'));
    const tokenizer = new WordPieceTokenizer([...SPECIAL_TOKENS, 'a', 'b', '##c']);
    const corpora = [
      { language: 'xx', sources: ['X/train'], train: [['a'], ['b']], heldOut: [['a', 'b']] },
      { language: 'yy', sources: ['Y/dev'], train: [['bc']], heldOut: [] },
    ];
    const train = corpora.map((c) => c.train.map((s) => tokenizer.encodeWords(s)));
    const heldOut = new Map(corpora.map((c) => [c.language, c.heldOut.map((s) => tokenizer.encodeWords(s))]));
    await writeCorpus(work, corpora, train, heldOut, [0.25, 0.75], tokenizer);
    const dir = join(work, 'corpus');
    // [CLS] a [SEP] | [CLS] b [SEP] | [CLS] b ##c [SEP]
    expect(await int32(join(dir, 'train.tokens.i32'))).toEqual([2, 5, 3, 2, 6, 3, 2, 6, 7, 3]);
    expect(await int32(join(dir, 'train.offsets.i32'))).toEqual([0, 3, 6, 10]);
    expect(await int32(join(dir, 'train.languages.i32'))).toEqual([0, 0, 1]);
    expect(await int32(join(dir, 'heldout.offsets.i32'))).toEqual([0, 4]);
    const meta = JSON.parse(await readFile(join(dir, 'corpus.json'), 'utf8'));
    expect(meta).toEqual({
      languages: ['xx', 'yy'],
      probabilities: [0.25, 0.75],
      vocabSize: 8,
      padId: 0,
      maskId: 4,
      clsId: 2,
      sepId: 3,
      firstRegularId: 5,
    });
    await rm(work, { recursive: true, force: true });
  });
});
