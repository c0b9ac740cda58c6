import type { ModelFamily } from './model-family.js';

/** BERT and its relatives (mBERT, DistilBERT-like exports): `[CLS] words [SEP]`, post-norm. */
export const bertFamily: ModelFamily = {
  name: 'bert',
  modelTypes: ['bert', 'distilbert', 'electra'],
  kind: 'encoder',
  start: 'cls',
  end: 'sep',
  normPlacement: 'post-norm',
  defaultPooling: 'first',
  positionOffset: 0,
};
