import { ModelFolderError } from '@xling/core';

/**
 * Largest sizes xling accepts in a config.json, far above any released model (the largest have
 * 126 layers, hidden size 16384, intermediate size 53248, 262k-token vocabularies, 10M
 * positions). A config beyond them (`num_hidden_layers: 1e9`) is refused before anything is
 * planned or allocated from it. Integer fields not listed are bounded by
 * `Number.MAX_SAFE_INTEGER`.
 */
export const CONFIG_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  num_hidden_layers: 1024,
  n_layer: 1024,
  num_layers: 1024,
  hidden_size: 2 ** 16,
  n_embd: 2 ** 16,
  d_model: 2 ** 16,
  num_attention_heads: 1024,
  num_key_value_heads: 1024,
  head_dim: 4096,
  intermediate_size: 2 ** 20,
  vocab_size: 2 ** 22,
  type_vocab_size: 2 ** 16,
  max_position_embeddings: 2 ** 24,
  n_positions: 2 ** 24,
  n_ctx: 2 ** 24,
  sliding_window: 2 ** 24,
});

/**
 * `value` as config.json field `key`: a safe integer from `min` to the key's
 * {@link CONFIG_LIMITS} entry.
 *
 * @throws XLING_MODEL_FOLDER naming the field, the allowed range and the value.
 */
export function checkConfigInteger(folder: string, key: string, value: unknown, min: number): number {
  const max = Object.hasOwn(CONFIG_LIMITS, key) ? CONFIG_LIMITS[key] : Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ModelFolderError(
      folder,
      `config.json field '${key}' must be an integer from ${min} to ${max}, but got ${value === undefined ? 'nothing' : JSON.stringify(value)}.`,
    );
  }
  return value as number;
}
