import type { ModelFamily } from './model-family.js';

/** LLaMA, Mistral, Gemma: `<s>` (BOS) before the words, nothing after; pre-norm (RMSNorm). */
export const llamaFamily: ModelFamily = {
  name: 'llama',
  modelTypes: ['llama', 'mistral', 'gemma', 'gemma2', 'gemma3_text'],
  kind: 'decoder',
  start: 'bos',
  end: 'none',
  normPlacement: 'pre-norm',
  defaultPooling: 'last',
  positionOffset: 0,
};
