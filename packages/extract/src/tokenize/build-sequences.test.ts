import { beforeAll, describe, expect, it } from 'vitest';
import { readModelFolder } from '../model-folder/read-model-folder.js';
import { copyModel } from '../test-helpers.js';
import { buildSequences } from './build-sequences.js';
import { WordTokenizer } from './word-tokenizer.js';

const base = {
  overflow: 'skip' as const,
  emptyWord: 'unk' as const,
  where: 'sentence 7',
  functionName: 'test',
};

describe('buildSequences(tokenizer, words, options)', () => {
  let bert: WordTokenizer;
  let llama: WordTokenizer;
  beforeAll(async () => {
    bert = WordTokenizer.load(await readModelFolder(await copyModel('tiny-bert')));
    llama = WordTokenizer.load(await readModelFolder(await copyModel('tiny-llama')));
  });

  it('frames BERT words with [CLS] and [SEP] and LLaMA words with BOS only', async () => {
    const b = await buildSequences(bert, ['The', 'cats'], { ...base, maxLength: 40 });
    expect('windows' in b && b.windows).toEqual([
      {
        ids: [bert.startId, 105, 106, 96, bert.endId],
        spans: [
          [1, 2],
          [2, 4],
        ],
      },
    ]);
    expect(bert.startId).toBe(2);
    expect(bert.endId).toBe(3);
    const l = await buildSequences(llama, ['The', 'cats'], { ...base, maxLength: 40 });
    expect(llama.startId).toBe(1);
    expect(llama.endId).toBe(null);
    expect('windows' in l && l.windows[0].ids[0]).toBe(1);
    expect('windows' in l && l.windows[0].ids.at(-1)).not.toBe(2);
  });

  it('skips a sentence longer than maxLength, or cuts it into windows of whole words', async () => {
    const words = ['The', 'cats', 'sat', 'on', 'the', 'mat'];
    const skipped = await buildSequences(bert, words, { ...base, maxLength: 6 });
    expect(skipped).toEqual({ skipped: '9 tokens > limit 6' });
    const windowed = await buildSequences(bert, words, { ...base, maxLength: 6, overflow: 'window' });
    if ('skipped' in windowed) throw new Error('expected windows');
    expect(windowed.windows.map((w) => w.ids.length)).toEqual([6, 5]);
    expect(windowed.windows.every((w) => w.ids[0] === 2 && w.ids.at(-1) === 3)).toBe(true);
    expect(windowed.windows.flatMap((w) => w.spans).length).toBe(6);
    const tooLong = await buildSequences(bert, ['zebra'], { ...base, maxLength: 2, overflow: 'window' });
    expect(tooLong).toEqual({ skipped: 'word 1 alone has 1 tokens > limit 2' });
  });

  it('gives a word that tokenises to nothing the unknown token', async () => {
    const result = await buildSequences(bert, ['a', '\u200b'], { ...base, maxLength: 40 });
    expect('windows' in result && result.windows[0].ids.slice(1, 3)).toEqual([26, 1]);
    expect('windows' in result && result.emptyWords).toBe(1);
  });

  it('buildSequences(tokenizer, words, { emptyWord: "error" }) throws XLING_INVALID_ARGUMENT naming the word', async () => {
    await expect(
      buildSequences(bert, ['a', '\u200b'], { ...base, maxLength: 40, emptyWord: 'error' }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: /word 2 \("\u200b"\) of sentence 7/,
    });
  });

  it('buildSequences(tokenizer, [], options) throws XLING_INVALID_ARGUMENT for an empty sentence', async () => {
    await expect(buildSequences(bert, [], { ...base, maxLength: 40 })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: /sentence 7 has no words/,
    });
  });
});
