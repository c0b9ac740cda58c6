import { describe, expect, it } from 'vitest';
import { type DecoderCardInfo, renderDecoderCard } from './render-decoder-card.js';

const evaluation = (accuracy: number) => ({
  rows: [{ language: 'en', tokens: 10, loss: 1, accuracy }],
  loss: 1,
  accuracy,
});

const info: DecoderCardInfo = {
  data: {
    seed: 1,
    alpha: 0.5,
    encoder: 'models/xling-mini-encoder',
    plainRows: [{ language: 'en', trainSentences: 90, heldOutSentences: 5 }],
    taggedRows: [
      { language: 'en', trainSentences: 80, heldOutSentences: 4, trainTokens: 900, probability: 1 },
    ],
  },
  log: {
    args: { context: 512, batch_size: 8, tagged_fraction: 0.5, lm_fraction: 0.25, seed: 1, threads: 1 },
    torch: '1.13.0',
    parameters: 2_391_424,
    state: {
      step: 20,
      wallSeconds: 600,
      losses: [],
      evaluations: [
        { step: 10, plain: evaluation(0.1), tags: evaluation(0.5) },
        { step: 20, plain: evaluation(0.2), tags: evaluation(0.75) },
      ],
    },
  },
  command: 'pnpm --filter @xling/tool-mini-encoder train-decoder -- --steps 20',
};

describe('renderDecoderCard(info)', () => {
  it('gives the held-out curve, the per-language tag accuracy, the caveat and the command', () => {
    const card = renderDecoderCard(info);
    expect(card).toContain('| 10 | 1.000 | 10.0 % | 1.000 | 50.0 % |');
    expect(card).toContain('| 20 | 1.000 | 20.0 % | 1.000 | 75.0 % |');
    expect(card).toContain('| en | 10 | 75.0 % |');
    expect(card).toContain('not a finding about LLMs');
    expect(card).toContain('2,391,424 parameters');
    expect(card).toContain(info.command);
  });
});
