import { describe, expect, it } from 'vitest';
import { renderModelCard } from './render-model-card.js';

const minimal = {
  corpora: [],
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
  seed: 2,
  alpha: 0.5,
  steps: 700,
  totalSteps: 700,
  batchSize: 64,
  peakLearningRate: 0.0005,
  warmup: 30,
  wallSeconds: 600,
  parameters: 1000,
  backend: 'PyTorch (CPU, 2 threads)',
  lossHistory: [],
  evaluations: [],
  unknownTokens: 0,
};

describe('renderModelCard', () => {
  it('renderModelCard({ previous, wholeWordMasking }) lists both runs, their masking and schedules, and sums steps and wall time', () => {
    const card = renderModelCard({
      ...minimal,
      wholeWordMasking: true,
      previous: {
        steps: 900,
        peakLearningRate: 0.001,
        warmup: 30,
        wallSeconds: 1200,
        wholeWordMasking: false,
        initialisation: 'Embeddings from PPMI.',
      },
    });
    expect(card).toMatch(/piece or whole-word masking as each run below says/);
    expect(card).toMatch(
      /1\. Embeddings from PPMI\. Then 900 steps of piece masking\. Peak learning rate 0\.001, linear warm-up 30 steps then linear decay to 0 at step 900\./,
    );
    expect(card).toMatch(
      /2\. From those weights, 700 steps of whole-word masking\. Peak learning rate 0\.0005, .* at step 700\./,
    );
    expect(card).toMatch(
      /Steps run: \*\*700\*\* of 700 planned in the second run, 1600 in all \(the first run: 900 steps in 20\.0 min, the second 10\.0 min\)\./,
    );
    expect(card).toMatch(/Wall time: 30\.0 min on PyTorch \(CPU, 2 threads\)\.$/m);
    expect(card).toMatch(/Trained for 30 minutes/);
  });

  it('renderModelCard({ wholeWordMasking }) of a single run names whole-word masking and one schedule', () => {
    const card = renderModelCard({ ...minimal, wholeWordMasking: true });
    expect(card).toMatch(/Masked LM: 15% of the words chosen and every piece of a chosen word masked/);
    expect(card).toMatch(/Peak learning rate 0\.0005, linear warm-up 30 steps/);
    expect(card).not.toMatch(/Two runs/);
  });

  it('renderModelCard(info) states the honest label, data, steps and per-language held-out loss', () => {
    const card = renderModelCard({
      ...minimal,
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
      seed: 1,
      steps: 10,
      totalSteps: 20,
      batchSize: 4,
      peakLearningRate: 0.001,
      warmup: 2,
      wallSeconds: 120,
      backend: 'wasm (1 thread)',
      lossHistory: [{ step: 10, loss: 4.2 }],
      evaluations: [
        {
          step: 10,
          results: [{ language: 'en', sentences: 50, maskedTokens: 300, loss: 4.5, accuracy: 0.25 }],
        },
      ],
    });
    expect(card).toMatch(/A small model trained on little data/);
    expect(card).toMatch(/no test sentence was seen/);
    expect(card).toMatch(/\| en \| 50 \| 300 \| 4\.500 \| 25\.0% \|/);
    expect(card).toMatch(/--seed 1 --steps 20 --stop-after 10/);
    expect(card).toMatch(/Wall time: 2\.0 min/);
  });
});
