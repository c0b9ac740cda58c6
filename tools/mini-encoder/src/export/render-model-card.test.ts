import { describe, expect, it } from 'vitest';
import { renderModelCard } from './render-model-card.js';

describe('renderModelCard', () => {
  it('renderModelCard(info) states the honest label, data, steps and per-language held-out loss', () => {
    const card = renderModelCard({
      corpora: [
        {
          language: 'en',
          sources: ['UD_English-EWT/dev'],
          trainSentences: 1950,
          heldOutSentences: 50,
          trainTokens: 40000,
          probability: 1,
        },
      ],
      config: {
        vocabSize: 100,
        hiddenSize: 8,
        numHiddenLayers: 2,
        numAttentionHeads: 2,
        intermediateSize: 16,
        maxPositionEmbeddings: 128,
        typeVocabSize: 2,
        layerNormEps: 1e-12,
        padTokenId: 0,
      },
      seed: 1,
      alpha: 0.5,
      steps: 10,
      totalSteps: 20,
      batchSize: 4,
      peakLearningRate: 0.001,
      warmup: 2,
      wallSeconds: 120,
      parameters: 1000,
      backend: 'wasm (1 thread)',
      lossHistory: [{ step: 10, loss: 4.2 }],
      evaluations: [
        {
          step: 10,
          results: [{ language: 'en', sentences: 50, maskedTokens: 300, loss: 4.5, accuracy: 0.25 }],
        },
      ],
      unknownTokens: 0,
    });
    expect(card).toMatch(/A small model trained on little data/);
    expect(card).toMatch(/no test sentence was seen/);
    expect(card).toMatch(/\| en \| 50 \| 300 \| 4\.500 \| 25\.0% \|/);
    expect(card).toMatch(/--seed 1 --steps 20 --stop-after 10/);
    expect(card).toMatch(/Wall time: 2\.0 min/);
  });
});
