import type { ModelFamily } from './model-family.js';

/** GPT-2: no special tokens around the words (the root vector is zero); pre-norm. */
export const gpt2Family: ModelFamily = {
  name: 'gpt2',
  modelTypes: ['gpt2', 'gpt_neox', 'bloom'],
  kind: 'decoder',
  start: 'none',
  end: 'none',
  normPlacement: 'pre-norm',
  defaultPooling: 'last',
  positionOffset: 0,
};
