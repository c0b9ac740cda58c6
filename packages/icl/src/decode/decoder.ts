import type { GenerationCache, GenerationModel } from '@xling/extract';

/** The decoder after some prompt: its cache and what its last position gives. */
export interface DecoderState {
  cache: GenerationCache;
  /** Next-token logits of the last position (`vocabSize`). */
  logits: Float32Array;
  /** Hidden states of the chosen layers at the last position, each `hiddenSize` long. */
  hidden: Float32Array[];
}

/**
 * Runs a {@link GenerationModel} forward from a state, keeping only the last position, and counts
 * the passes and tokens it ran (for the progress events).
 */
export class Decoder {
  passes = 0;
  tokens = 0;
  private readonly model: GenerationModel;
  private readonly layers: readonly number[];

  constructor(model: GenerationModel, layers: readonly number[]) {
    this.model = model;
    this.layers = layers;
  }

  /** The state after `ids` (non-empty) follow `from` (none: the start of the sequence). */
  async advance(from: DecoderState | undefined, ids: readonly number[]): Promise<DecoderState> {
    const output = await this.model.forward({ inputIds: ids, past: from?.cache });
    this.passes++;
    this.tokens += ids.length;
    const { length, vocabSize } = output;
    // Copies, so that the full-length outputs can be collected.
    const hidden = this.layers.map((layer) => {
      const states = output.hiddenStates![layer];
      const size = states.length / length;
      return states.slice((length - 1) * size, length * size);
    });
    return { cache: output.present, logits: output.logits.slice((length - 1) * vocabSize), hidden };
  }
}
