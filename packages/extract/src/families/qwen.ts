import type { ModelFamily } from './model-family.js';

/**
 * Qwen2 / Qwen3: BOS only when tokenizer_config.json names a `bos_token` (Qwen's usually do
 * not, and then the sentence starts with its first word and the root vector is zero).
 */
export const qwenFamily: ModelFamily = {
  name: 'qwen',
  modelTypes: ['qwen2', 'qwen3', 'qwen2_moe', 'qwen3_moe'],
  kind: 'decoder',
  start: 'bos',
  end: 'none',
  normPlacement: 'pre-norm',
  defaultPooling: 'last',
  positionOffset: 0,
};
