import type { Word } from '../conllu/types.js';

/**
 * 1-based column where field `index` (0 = ID ... 9 = MISC) of a word line starts, computed from
 * the raw fields (ids and heads are canonical integers in a line that got this far).
 */
export function fieldColumn(word: Word, index: number): number {
  let column = 1;
  if (index > 0) column += String(word.id).length + 1;
  if (index > 1) column += word.form.length + 1;
  if (index > 2) column += word.lemma.length + 1;
  if (index > 3) column += word.upos.length + 1;
  if (index > 4) column += word.xpos.length + 1;
  if (index > 5) column += word.feats.length + 1;
  if (index > 6) column += (word.head === null ? 1 : String(word.head).length) + 1;
  if (index > 7) column += word.deprel.length + 1;
  if (index > 8) column += word.deps.length + 1;
  return column;
}

/** 1-based column where field `index` starts in a line made of `fields` joined by tabs. */
export function columnOf(fields: readonly string[], index: number): number {
  let column = 1;
  for (let k = 0; k < index; k++) column += fields[k].length + 1;
  return column;
}
