import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { parameterShapes } from '../model/mini-bert.js';
import type { MiniBertConfig } from '../model/mini-bert-config.js';
import { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';
import { writeHfFolder } from './write-hf-folder.js';

const config: MiniBertConfig = {
  vocabSize: 6,
  hiddenSize: 4,
  numHiddenLayers: 1,
  numAttentionHeads: 2,
  intermediateSize: 8,
  maxPositionEmbeddings: 16,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  padTokenId: 0,
};

describe('writeHfFolder', () => {
  it('writeHfFolder(folder, ...) writes the Hugging Face BERT layout with bert.-prefixed tensor names', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-hf-'));
    const shapes = parameterShapes(config);
    const params = new Map(
      [...shapes].map(([name, shape]) => [
        name,
        new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5),
      ]),
    );
    const tokenizer = new WordPieceTokenizer(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a']);
    await writeHfFolder(folder, config, tokenizer, params, shapes, { card: '# card\n' });
    expect((await readdir(folder)).sort()).toEqual([
      'README.md',
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const hf = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8'));
    expect(hf).toMatchObject({
      model_type: 'bert',
      hidden_size: 4,
      num_hidden_layers: 1,
      vocab_size: 6,
      hidden_act: 'gelu',
    });
    const { tensors } = await readSafetensors(join(folder, 'model.safetensors'));
    expect(Object.keys(tensors)).toContain('bert.encoder.layer.0.attention.self.query.weight');
    expect(Object.keys(tensors)).toContain('bert.embeddings.word_embeddings.weight');
    expect(Object.keys(tensors)).toContain('cls.predictions.transform.dense.weight');
    expect(tensors['bert.encoder.layer.0.intermediate.dense.weight'].shape).toEqual([8, 4]);
    expect(tensors['bert.encoder.layer.0.intermediate.dense.weight'].dtype).toBe('F32');
    const tok = JSON.parse(await readFile(join(folder, 'tokenizer.json'), 'utf8'));
    expect(tok.model.vocab.a).toBe(5);
  });
});
