import type { Rng } from '@xling/core';

/** A padded masked-LM batch in flat typed arrays. */
export interface MlmBatch {
  batchSize: number;
  length: number;
  /** `[batchSize * length]` input ids after masking (padding = padId). */
  inputIds: Int32Array;
  /** `[batchSize * length]` 1 for tokens, 0 for padding. */
  attentionMask: Float32Array;
  /** Flat indices `sentence * length + position` of the masked positions. */
  positions: Int32Array;
  /** Original token ids at `positions`. */
  labels: Int32Array;
}

/** Token ids the masking needs. */
export interface MaskingVocab {
  padId: number;
  maskId: number;
  vocabSize: number;
  /** Ids below this are special tokens: never masked, never drawn as random replacements. */
  firstRegularId: number;
}

/**
 * BERT masking (Devlin et al. 2019, section 3.1): each non-special token is chosen with
 * probability `rate`; a chosen token becomes `[MASK]` 80% of the time, a random regular token
 * 10%, and stays unchanged 10%. A sentence with no chosen token gets one chosen at random, so
 * every sentence contributes to the loss. Deterministic given `rng`.
 */
export function makeMlmBatch(
  sentences: readonly Int32Array[],
  vocab: MaskingVocab,
  rng: Rng,
  rate = 0.15,
): MlmBatch {
  const batchSize = sentences.length;
  const length = Math.max(...sentences.map((s) => s.length));
  const inputIds = new Int32Array(batchSize * length).fill(vocab.padId);
  const attentionMask = new Float32Array(batchSize * length);
  const positions: number[] = [];
  const labels: number[] = [];
  sentences.forEach((s, b) => {
    const base = b * length;
    const chosen: number[] = [];
    for (let t = 0; t < s.length; t++) {
      inputIds[base + t] = s[t];
      attentionMask[base + t] = 1;
      if (s[t] >= vocab.firstRegularId && rng.next() < rate) chosen.push(t);
    }
    if (chosen.length === 0) {
      const regular = [...s.keys()].filter((t) => s[t] >= vocab.firstRegularId);
      if (regular.length > 0) chosen.push(regular[rng.int(regular.length)]);
    }
    for (const t of chosen) {
      positions.push(base + t);
      labels.push(s[t]);
      const r = rng.next();
      if (r < 0.8) inputIds[base + t] = vocab.maskId;
      else if (r < 0.9)
        inputIds[base + t] = vocab.firstRegularId + rng.int(vocab.vocabSize - vocab.firstRegularId);
    }
  });
  return {
    batchSize,
    length,
    inputIds,
    attentionMask,
    positions: Int32Array.from(positions),
    labels: Int32Array.from(labels),
  };
}
