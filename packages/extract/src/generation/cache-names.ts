/** Optimum's file name of a decoder graph that takes and returns a key/value cache. */
export const GENERATION_MODEL_FILE_NAME = 'decoder_model_merged';

/** One half of a layer's cache. */
export type CachePart = 'key' | 'value';

/** Graph input holding layer `layer`'s cached keys or values (Hugging Face / Optimum naming). */
export function pastName(layer: number, part: CachePart): string {
  return `past_key_values.${layer}.${part}`;
}

/** Graph output holding layer `layer`'s keys or values after the step (Optimum naming). */
export function presentName(layer: number, part: CachePart): string {
  return `present.${layer}.${part}`;
}

/** Matches {@link pastName} names: layer in group 1, part in group 2. */
export const PAST_NAME = /^past_key_values\.(\d+)\.(key|value)$/;
