import type { ModelFamily } from './model-family.js';

/** XLM-R and RoBERTa: `<s> words </s>`, post-norm, positions start at `padding_idx + 1` (2). */
export const xlmRobertaFamily: ModelFamily = {
  name: 'xlm-roberta',
  modelTypes: ['xlm-roberta', 'roberta', 'camembert'],
  kind: 'encoder',
  start: 'cls',
  end: 'sep',
  normPlacement: 'post-norm',
  defaultPooling: 'first',
  positionOffset: 2,
};
