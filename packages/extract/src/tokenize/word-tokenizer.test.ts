import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedSentences } from '../embed-sentences.js';
import { HiddenStateModel } from '../hidden-state-model.js';
import { readModelFolder } from '../model-folder/read-model-folder.js';
import { copyModel } from '../test-helpers.js';
import { WordTokenizer } from './word-tokenizer.js';

async function edit(
  dir: string,
  file: string,
  change: (json: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const path = join(dir, file);
  await writeFile(path, JSON.stringify(change(JSON.parse(await readFile(path, 'utf8')))));
}

describe('WordTokenizer.load(folder)', () => {
  it('uses no special tokens for GPT-2 and stores a zero root vector', async () => {
    const dir = await copyModel('tiny-llama');
    await edit(dir, 'config.json', (c) => ({ ...c, model_type: 'gpt2' }));
    const tokenizer = WordTokenizer.load(await readModelFolder(dir));
    expect([tokenizer.startId, tokenizer.endId]).toEqual([null, null]);
    const model = await HiddenStateModel.load(dir);
    const [s] = await embedSentences(model, [['The', 'cats']], { layers: [1] });
    expect(s.skipped || [s.tokens, Array.from(s.root[1]).every((v) => v === 0)]).toEqual([3, true]);
    await model.dispose();
  });

  it('puts BOS before Qwen sentences only when tokenizer_config.json names a bos_token', async () => {
    const dir = await copyModel('tiny-llama');
    await edit(dir, 'config.json', (c) => ({ ...c, model_type: 'qwen2' }));
    expect(WordTokenizer.load(await readModelFolder(dir)).startId).toBe(1);
    await edit(dir, 'tokenizer_config.json', (c) => ({ ...c, bos_token: null }));
    expect(WordTokenizer.load(await readModelFolder(dir)).startId).toBe(null);
  });

  it('frames XLM-R sentences with cls/sep tokens and keeps 2 positions for the RoBERTa offset', async () => {
    const dir = await copyModel('tiny-bert');
    await edit(dir, 'config.json', (c) => ({ ...c, model_type: 'xlm-roberta' }));
    await edit(dir, 'tokenizer_config.json', (c) => ({ ...c, model_max_length: 1e30 }));
    const folder = await readModelFolder(dir);
    expect(folder.family.name).toBe('xlm-roberta');
    expect(folder.maxLength).toBe(38);
    const tokenizer = WordTokenizer.load(folder);
    expect([tokenizer.startId, tokenizer.endId, tokenizer.unkId]).toEqual([2, 3, 1]);
  });

  it('WordTokenizer.load(folder) throws XLING_MODEL_FOLDER when an encoder has no cls_token', async () => {
    const dir = await copyModel('tiny-bert');
    await edit(dir, 'tokenizer_config.json', ({ cls_token, ...rest }) => rest);
    await expect(readModelFolder(dir).then((f) => WordTokenizer.load(f))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /cls_token/,
    });
  });
});

describe('WordTokenizer#encodeTexts(texts)', () => {
  it('encodes whole strings with spaces and newlines, without special tokens', async () => {
    const tokenizer = WordTokenizer.load(await readModelFolder(await copyModel('tiny-llama')));
    const [sentence, empty] = await tokenizer.encodeTexts(['The cats\nsat', '']);
    // Metaspace splits at spaces and newlines are ordinary characters: two pieces, not three words.
    expect(sentence).toEqual((await tokenizer.tokenizeWords(['The', 'cats\nsat'])).flat());
    expect(sentence).not.toContain(tokenizer.startId);
    expect(empty).toEqual([]);
    expect(await tokenizer.encodeTexts([])).toEqual([]);
  });
});
