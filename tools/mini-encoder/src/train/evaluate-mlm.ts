import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@xling/core';
import type { MiniBert } from '../model/mini-bert.js';
import { type MaskingVocab, makeMlmBatch } from './make-mlm-batch.js';

/** Masked-LM quality on one language's held-out sentences. */
export interface MlmEvaluation {
  language: string;
  sentences: number;
  maskedTokens: number;
  /** Mean cross-entropy (nats) over the masked tokens. */
  loss: number;
  /** Share of masked tokens whose top prediction is the original token. */
  accuracy: number;
}

/**
 * Evaluates the masked-LM loss and accuracy on held-out sentences with a fixed masking (seeded
 * per language), so numbers from different steps are comparable.
 */
export function evaluateMlm(
  model: MiniBert,
  heldOut: ReadonlyMap<string, readonly Int32Array[]>,
  vocab: MaskingVocab,
  seed: number,
  batchSize = 16,
): MlmEvaluation[] {
  const out: MlmEvaluation[] = [];
  for (const [language, sentences] of heldOut) {
    if (sentences.length === 0) continue;
    const rng = createRng(seed).fork(`eval-${language}`);
    let lossSum = 0;
    let correct = 0;
    let count = 0;
    for (let start = 0; start < sentences.length; start += batchSize) {
      const batch = makeMlmBatch(sentences.slice(start, start + batchSize), vocab, rng);
      const m = batch.labels.length;
      const result = tf.tidy(() => {
        const r = model.mlmLoss(
          tf.tensor2d(batch.inputIds, [batch.batchSize, batch.length], 'int32'),
          tf.tensor2d(batch.attentionMask, [batch.batchSize, batch.length]),
          tf.tensor1d(batch.positions, 'int32'),
          tf.tensor1d(batch.labels, 'int32'),
        );
        return [r.loss, r.predictions];
      });
      const loss = result[0].dataSync()[0];
      const predictions = result[1].dataSync();
      tf.dispose(result);
      lossSum += loss * m;
      for (let i = 0; i < m; i++) if (predictions[i] === batch.labels[i]) correct++;
      count += m;
    }
    out.push({
      language,
      sentences: sentences.length,
      maskedTokens: count,
      loss: lossSum / count,
      accuracy: correct / count,
    });
  }
  return out;
}
