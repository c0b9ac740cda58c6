import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectClose } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSentences } from './embed-sentences.js';
import { HiddenStateModel } from './hidden-state-model.js';
import type { Pooling } from './pooling/pool-words.js';
import { FIXTURES, copyModel } from './test-helpers.js';

interface Golden {
  numLayers: number;
  sentences: Array<{
    words: string[];
    tokenIds: number[][];
    layers: Record<string, { root: number[] | null; first: number[][]; last: number[][]; mean: number[][] }>;
  }>;
}

const cases = [
  {
    name: 'tiny-bert' as const,
    options: {},
    label: 'encoder, graph surgery on post-norm LayerNormalization',
  },
  {
    name: 'tiny-bert' as const,
    options: { modelFileName: 'model_opset14' },
    label: 'encoder, graph surgery on decomposed LayerNorm (opset 14)',
  },
  { name: 'tiny-llama' as const, options: {}, label: 'decoder, graph surgery on decomposed RMSNorm' },
  {
    name: 'tiny-llama' as const,
    options: { modelFileName: 'model_with_hidden_states' },
    label: 'decoder, hidden_states outputs',
  },
];

for (const { name, options, label } of cases) {
  describe(`embedSentences(model, sentences) on ${name} (${label})`, () => {
    const golden: Golden = JSON.parse(readFileSync(join(FIXTURES, `${name}.golden.json`), 'utf8'));
    let model: HiddenStateModel;
    beforeAll(async () => {
      model = await HiddenStateModel.load(await copyModel(name), { ...options, intraOpNumThreads: 1 });
    });
    afterAll(async () => {
      await model?.dispose();
    });

    it('matches the torch reference forward pass to 1e-4 for every layer, pooling and root vector', async () => {
      const layers = Array.from({ length: golden.numLayers + 1 }, (_, i) => i);
      const poolings: Pooling[] = ['first', 'last', 'mean'];
      // batchTokens 40 puts several sentences of different lengths in one padded batch.
      const out = await embedSentences(
        model,
        golden.sentences.map((s) => s.words),
        { layers, pooling: poolings, batchTokens: 40 },
      );
      out.forEach((s, i) => {
        expect(s.skipped).toBe(false);
        if (s.skipped) return;
        const g = golden.sentences[i];
        expect(s.subwordCounts).toEqual(g.tokenIds.map((t) => t.length));
        for (const layer of layers) {
          const gl = g.layers[String(layer)];
          for (const p of poolings) {
            const m = s.words[layer][p]!;
            expect(m.rows).toBe(g.words.length);
            expectClose(Array.from(m.data), gl[p].flat(), { atol: 1e-4, rtol: 0 });
          }
          expectClose(Array.from(s.root[layer]), gl.root!, { atol: 1e-4, rtol: 0 });
        }
      });
    });
  });
}

describe('embedSentences(model, sentences, options) with bad options', () => {
  let model: HiddenStateModel;
  beforeAll(async () => {
    model = await HiddenStateModel.load(await copyModel('tiny-bert'), { intraOpNumThreads: 1 });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('embedSentences(model, sentences, options) throws XLING_INVALID_ARGUMENT naming the option', async () => {
    const words = [['The', 'cats']];
    await expect(
      embedSentences(model, words, { layers: [1], pooling: 'max' as never }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: /options\.pooling.*'first', 'last', 'mean'/,
    });
    await expect(embedSentences(model, words, { layers: [1], batchTokens: 0 })).rejects.toMatchObject({
      message: /options\.batchTokens/,
    });
    await expect(embedSentences(model, words, { layers: [] })).rejects.toMatchObject({
      message: /options\.layers/,
    });
    await expect(
      embedSentences(model, words, { layers: [1], overflow: 'truncate' as never }),
    ).rejects.toMatchObject({
      message: /options\.overflow/,
    });
  });

  it('embedSentences(model, sentences, { overflow: "window" }) returns a vector for every word of a long sentence', async () => {
    const long = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'cats' : 'dog'));
    const [skipped] = await embedSentences(model, [long], { layers: [1] });
    expect(skipped).toMatchObject({ skipped: true, reason: '47 tokens > limit 40' });
    const [s] = await embedSentences(model, [long], { layers: [1], overflow: 'window' });
    expect(s.skipped || s.words[1].first!.rows).toBe(30);
  });
});
