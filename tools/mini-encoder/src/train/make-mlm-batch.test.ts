import { createRng } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { makeMlmBatch } from './make-mlm-batch.js';

const vocab = { padId: 0, maskId: 4, vocabSize: 1000, firstRegularId: 5 };

describe('makeMlmBatch', () => {
  it('makeMlmBatch(sentences, vocab, rng) pads, masks ~15% with 80/10/10 and never masks special tokens', () => {
    const rng = createRng(1);
    const sentences = Array.from({ length: 200 }, (_, k) =>
      Int32Array.from([2, ...Array.from({ length: 40 + (k % 7) }, (_, i) => 5 + ((i * 31 + k) % 995)), 3]),
    );
    const batch = makeMlmBatch(sentences, vocab, rng);
    expect(batch.length).toBe(48);
    expect(batch.inputIds.length).toBe(200 * 48);
    let regular = 0;
    for (const s of sentences) regular += s.length - 2;
    const rate = batch.labels.length / regular;
    expect(rate).toBeGreaterThan(0.13);
    expect(rate).toBeLessThan(0.17);
    let masked = 0;
    let kept = 0;
    for (let i = 0; i < batch.positions.length; i++) {
      const p = batch.positions[i];
      const b = Math.floor(p / batch.length);
      const t = p % batch.length;
      expect(sentences[b][t]).toBe(batch.labels[i]);
      expect(batch.labels[i]).toBeGreaterThanOrEqual(5);
      if (batch.inputIds[p] === 4) masked++;
      else if (batch.inputIds[p] === batch.labels[i]) kept++;
    }
    expect(masked / batch.labels.length).toBeGreaterThan(0.75);
    expect(masked / batch.labels.length).toBeLessThan(0.85);
    expect(kept / batch.labels.length).toBeGreaterThan(0.06);
    expect(kept / batch.labels.length).toBeLessThan(0.14);
    // Padding: zero attention, pad id.
    expect(batch.attentionMask[sentences[0].length]).toBe(0);
    expect(batch.inputIds[sentences[0].length]).toBe(0);
  });

  it('makeMlmBatch(sentences, vocab, rng) masks at least one token per sentence and repeats with the seed', () => {
    const sentences = [Int32Array.from([2, 7, 3]), Int32Array.from([2, 8, 9, 3])];
    const a = makeMlmBatch(sentences, vocab, createRng(5));
    const b = makeMlmBatch(sentences, vocab, createRng(5));
    expect(a).toEqual(b);
    const perSentence = new Set([...a.positions].map((p) => Math.floor(p / a.length)));
    expect(perSentence).toEqual(new Set([0, 1]));
  });
});
