import type { EmptyNode, Sentence } from '../conllu/types.js';

/**
 * True when every word has a HEAD. Tree rules only run on such sentences; a sentence where
 * every HEAD is `_` is unannotated (allowed), a mix is reported by `head-format`.
 */
export function hasTree(sentence: Sentence): boolean {
  const words = sentence.words;
  for (let i = 0; i < words.length; i++) if (words[i].head === null) return false;
  return true;
}

/** The universal part of a deprel: `nmod:poss` -> `nmod`. */
export function universalPart(label: string): string {
  const colon = label.indexOf(':');
  return colon === -1 ? label : label.slice(0, colon);
}

/** The id of an empty node as written: `8.1`. */
export function emptyNodeId(node: EmptyNode): string {
  return `${node.major}.${node.minor}`;
}

const NO_ITEMS: readonly string[] = [];
// MISC values repeat (`SpaceAfter=No|Translit=de|LTranslit=de`): each is split once.
const miscCache = new Map<string, readonly string[]>();

/** The `|`-separated items of a MISC value (none for `_`). */
export function miscItems(misc: string): readonly string[] {
  if (misc === '_') return NO_ITEMS;
  let items = miscCache.get(misc);
  if (items === undefined) {
    items = misc.split('|');
    if (miscCache.size < 50_000) miscCache.set(misc, items);
  }
  return items;
}

/** True when a MISC value has the attribute `SpaceAfter=No`. */
export function hasSpaceAfterNo(misc: string): boolean {
  return misc !== '_' && miscItems(misc).includes('SpaceAfter=No');
}

/** One ID line of a sentence, whatever its kind, with the columns the metadata rules need. */
export interface NodeLine {
  kind: 'word' | 'range' | 'empty';
  id: string;
  form: string;
  misc: string;
  line: number;
  /** First and last word of a range (the word itself for a word; 0 for an empty node). */
  start: number;
  end: number;
}

// The metadata rules run one after another on the same sentence: remember the last merge.
let cachedSentence: Sentence | null = null;
let cachedLines: NodeLine[] = [];

/** Words, ranges and empty nodes of a sentence merged back into file order. */
export function nodeLines(sentence: Sentence): readonly NodeLine[] {
  if (sentence === cachedSentence) return cachedLines;
  const out: NodeLine[] = [];
  for (const w of sentence.words) {
    out.push({
      kind: 'word',
      id: String(w.id),
      form: w.form,
      misc: w.misc,
      line: w.line,
      start: w.id,
      end: w.id,
    });
  }
  for (const t of sentence.tokens) {
    out.push({
      kind: 'range',
      id: `${t.start}-${t.end}`,
      form: t.form,
      misc: t.misc,
      line: t.line,
      start: t.start,
      end: t.end,
    });
  }
  for (const e of sentence.emptyNodes) {
    out.push({
      kind: 'empty',
      id: emptyNodeId(e),
      form: e.columns[0],
      misc: e.columns[8],
      line: e.line,
      start: 0,
      end: 0,
    });
  }
  out.sort((a, b) => a.line - b.line);
  cachedSentence = sentence;
  cachedLines = out;
  return out;
}
