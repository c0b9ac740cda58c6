import { createLabelInventory } from './label-inventory.js';

/**
 * The 37 universal dependency relations without subtypes, in the order that defines their ids
 * (METHOD.md section 1).
 */
export const DEPREL_LABELS = [
  'acl',
  'advcl',
  'advmod',
  'amod',
  'appos',
  'aux',
  'case',
  'cc',
  'ccomp',
  'clf',
  'compound',
  'conj',
  'cop',
  'csubj',
  'dep',
  'det',
  'discourse',
  'dislocated',
  'expl',
  'fixed',
  'flat',
  'goeswith',
  'iobj',
  'list',
  'mark',
  'nmod',
  'nsubj',
  'nummod',
  'obj',
  'obl',
  'orphan',
  'parataxis',
  'punct',
  'reparandum',
  'root',
  'vocative',
  'xcomp',
] as const;

/** A universal deprel (no subtype). */
export type Deprel = (typeof DEPREL_LABELS)[number];

/** The deprel inventory: `deprel.id('nsubj') === 26`. */
export const deprel = createLabelInventory('deprel', DEPREL_LABELS);

/** Strips a language-specific subtype: `nmod:poss` -> `nmod`. */
export function stripDeprelSubtype(label: string): string {
  const colon = label.indexOf(':');
  return colon === -1 ? label : label.slice(0, colon);
}
