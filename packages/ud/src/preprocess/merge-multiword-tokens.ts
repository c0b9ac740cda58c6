import type { EmptyNode, MultiwordToken, Sentence, Word } from '../conllu/types.js';

/** Remaps the word ids in an enhanced DEPS value (`4:nsubj|5.1:obj`) after re-indexing. */
function remapDeps(deps: string, newId: Int32Array): string {
  if (deps === '_') return deps;
  const n = newId.length - 1;
  return deps
    .split('|')
    .map((item) => {
      const colon = item.indexOf(':');
      if (colon === -1) return item;
      const head = item.slice(0, colon);
      const dot = head.indexOf('.');
      const major = Number(dot === -1 ? head : head.slice(0, dot));
      if (!Number.isInteger(major) || major < 0 || major > n) return item;
      return `${newId[major]}${dot === -1 ? '' : head.slice(dot)}${item.slice(colon)}`;
    })
    .join('|');
}

/**
 * The head of a merged range `[a, b]` by the rule of METHOD.md section 1: the heads of the
 * range's words that point outside it; if several (distinct), 0 wins; else drop those that would
 * make a 2-cycle (a word outside whose own head lies inside the range); else take the last (in
 * word order). Returns an old id (or null when no word has a head).
 */
export function mergedHead(words: readonly Word[], a: number, b: number): number | null {
  const external: number[] = [];
  for (let id = a; id <= b; id++) {
    const head = words[id - 1].head;
    if (head !== null && (head < a || head > b)) external.push(head);
  }
  if (external.length === 0) return words[a - 1].head;
  const distinct = new Set(external);
  if (distinct.size === 1) return external[0];
  if (distinct.has(0)) return 0;
  const n = words.length;
  const kept = external.filter((h) => {
    const own = h >= 1 && h <= n ? words[h - 1].head : null;
    return own === null || own < a || own > b;
  });
  return kept.length > 0 ? kept[kept.length - 1] : external[external.length - 1];
}

/**
 * Turns every multiword token (`3-4 del`) into one word, as METHOD.md section 1 prescribes: the
 * surface form of the range; LEMMA, UPOS, XPOS, FEATS, DEPREL, DEPS and MISC of its first
 * syntactic word; HEAD by the rule of {@link mergedHead}. Words are then re-indexed 1..m and
 * every HEAD (and the ids inside enhanced DEPS and of empty nodes) is remapped; a head that
 * pointed into a range points to the merged word. Ranges that are malformed (overlapping,
 * out of range) are dropped without merging. The merged word's `line` is the range line's.
 *
 * @see METHOD.md section 1 (reference: ningyuxu/structural_concepts_correspondence)
 * @param sentence - Not modified.
 * @returns The same object when the sentence has no ranges, else a new sentence without ranges.
 * @example
 * // 1 Voy  2-3 al (2 a, 3 el)  4 cine  ->  1 Voy  2 al  3 cine, with al's head = 3
 * mergeMultiwordTokens(sentence).words.map((w) => w.form); // ['Voy', 'al', 'cine']
 */
export function mergeMultiwordTokens(sentence: Sentence): Sentence {
  const { words, tokens } = sentence;
  if (tokens.length === 0) return sentence;
  const n = words.length;
  // rangeEnd[a] = b for each well-formed range a-b (a < b <= n, no overlap).
  const rangeEnd = new Int32Array(n + 2);
  const rangeAt: Array<MultiwordToken | undefined> = new Array(n + 2);
  let previousEnd = 0;
  for (const token of tokens) {
    if (token.start > previousEnd && token.start < token.end && token.end <= n && token.start >= 1) {
      rangeEnd[token.start] = token.end;
      rangeAt[token.start] = token;
      previousEnd = token.end;
    }
  }
  const newId = new Int32Array(n + 1);
  const units: Array<[number, number]> = [];
  for (let id = 1; id <= n; ) {
    const end = rangeEnd[id] > 0 ? rangeEnd[id] : id;
    units.push([id, end]);
    for (let k = id; k <= end; k++) newId[k] = units.length;
    id = end + 1;
  }
  const map = (head: number | null): number | null =>
    head !== null && head >= 0 && head <= n ? newId[head] : head;
  const merged: Word[] = units.map(([a, b], index) => {
    const first = words[a - 1];
    if (a === b) {
      return { ...first, id: index + 1, head: map(first.head), deps: remapDeps(first.deps, newId) };
    }
    const token = rangeAt[a] as MultiwordToken;
    return {
      ...first,
      id: index + 1,
      form: token.form,
      head: map(mergedHead(words, a, b)),
      deps: remapDeps(first.deps, newId),
      line: token.line,
    };
  });
  let emptyNodes: EmptyNode[] = sentence.emptyNodes;
  if (emptyNodes.length > 0) {
    let lastMajor = -1;
    let minor = 0;
    emptyNodes = emptyNodes.map((node) => {
      const major = node.major <= n ? newId[node.major] : node.major;
      minor = major === lastMajor ? minor + 1 : 1;
      lastMajor = major;
      const columns = [...node.columns];
      columns[7] = remapDeps(columns[7] ?? '_', newId);
      return { ...node, major, minor, columns };
    });
  }
  return { ...sentence, words: merged, tokens: [], emptyNodes };
}
