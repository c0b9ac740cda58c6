import type ort from 'onnxruntime-node';

/** What a cache holds; kept out of the object so callers cannot reach or forge it. */
export interface CacheState {
  /** The model whose forward pass made it. */
  owner: object;
  /** `past_key_values.<i>.key|value` inputs of the next step, by input name. */
  tensors: Record<string, ort.Tensor>;
  /** Attention mask over the cached positions, `batchSize × length`, 0 or 1. */
  mask: Uint8Array;
}

const states = new WeakMap<GenerationCache, CacheState>();

/**
 * The key/value cache after a {@link GenerationModel.forward} call: pass it back as `past` to
 * go on from where the call stopped. It is opaque and immutable, so one cache can be continued
 * in several ways (a shared prompt prefix, then each candidate). Made by `forward` only.
 */
export class GenerationCache {
  /** Rows of the batch it belongs to. */
  readonly batchSize: number;
  /** Positions it holds (the past length of the next step). */
  readonly length: number;

  private constructor(batchSize: number, length: number) {
    this.batchSize = batchSize;
    this.length = length;
  }

  /** @internal */
  static fromState(state: CacheState, batchSize: number, length: number): GenerationCache {
    const cache = new GenerationCache(batchSize, length);
    states.set(cache, state);
    return cache;
  }
}

/** The state of a cache that `forward` made, or undefined for anything else. */
export function cacheState(cache: unknown): CacheState | undefined {
  return cache instanceof GenerationCache ? states.get(cache) : undefined;
}
