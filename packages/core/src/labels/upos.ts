import { createLabelInventory } from './label-inventory.js';

/** The 17 Universal POS tags, in the order that defines their ids (METHOD.md section 1). */
export const UPOS_LABELS = [
  'ADJ',
  'ADP',
  'ADV',
  'AUX',
  'CCONJ',
  'DET',
  'INTJ',
  'NOUN',
  'NUM',
  'PART',
  'PRON',
  'PROPN',
  'PUNCT',
  'SCONJ',
  'SYM',
  'VERB',
  'X',
] as const;

/** A UPOS tag. */
export type Upos = (typeof UPOS_LABELS)[number];

/** The UPOS inventory: `upos.id('NOUN') === 7`. */
export const upos = createLabelInventory('upos', UPOS_LABELS);
