import { InvalidArgumentError, checkOptions } from '@xling/core';

/** Options of {@link trainWordPiece}. */
export interface TrainWordPieceOptions {
  /** Target vocabulary size, special tokens included. @defaultValue 12000 */
  vocabSize?: number;
  /** Special tokens, placed first (ids 0, 1, ...). @defaultValue `['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']` */
  specialTokens?: string[];
  /** Keep at most this many distinct characters (most frequent first); words with others are skipped. @defaultValue 3000 */
  limitAlphabet?: number;
  /** A pair must occur at least this often to be merged. @defaultValue 2 */
  minFrequency?: number;
  /** Prefix of word-internal pieces. @defaultValue `'##'` */
  continuingSubwordPrefix?: string;
}

/** A max-heap entry: a candidate pair and the count it had when pushed. */
interface HeapEntry {
  count: number;
  a: number;
  b: number;
}

/**
 * Trains a WordPiece vocabulary the way Hugging Face `tokenizers`' `WordPieceTrainer` does: a
 * BPE trainer over words split into characters, word-internal characters carrying the `##`
 * prefix; each step merges the most frequent adjacent pair (ties: the lexicographically smallest
 * pair of strings, so the result is deterministic). The vocabulary is the special tokens, then
 * the alphabet (both `c` and `##c` forms that occur, sorted), then one token per merge.
 *
 * `words` maps each (pre-tokenised) word to a non-negative integer count.
 *
 * @see https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/models/wordpiece/trainer.rs
 * @throws XLING_INVALID_ARGUMENT on bad options or a non-integer count.
 */
export function trainWordPiece(
  words: ReadonlyMap<string, number>,
  options: TrainWordPieceOptions = {},
): string[] {
  const { specialTokens: _specialTokens, ...scalarOptions } = options;
  checkOptions(
    scalarOptions,
    {
      vocabSize: { type: 'integer', min: 1, optional: true },
      limitAlphabet: { type: 'integer', min: 1, optional: true },
      minFrequency: { type: 'integer', min: 1, optional: true },
      continuingSubwordPrefix: { type: 'string', optional: true },
    },
    'trainWordPiece',
  );
  const {
    vocabSize = 12000,
    specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
    limitAlphabet = 3000,
    minFrequency = 2,
    continuingSubwordPrefix: prefix = '##',
  } = options;

  // Alphabet: the most frequent characters (ties by code point).
  const charCounts = new Map<string, number>();
  for (const [word, count] of words) {
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidArgumentError(
        'words',
        'trainWordPiece',
        `must map words to integer counts >= 0, but '${word}' has ${count}.`,
      );
    }
    for (const ch of word) charCounts.set(ch, (charCounts.get(ch) ?? 0) + count);
  }
  const alphabet = new Set(
    [...charCounts.entries()]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .slice(0, limitAlphabet)
      .map(([ch]) => ch),
  );

  // Symbols: id -> string; words as arrays of symbol ids.
  const symbols: string[] = [];
  const symbolId = new Map<string, number>();
  const intern = (s: string): number => {
    let id = symbolId.get(s);
    if (id === undefined) {
      id = symbols.length;
      symbols.push(s);
      symbolId.set(s, id);
    }
    return id;
  };
  const wordSymbols: number[][] = [];
  const wordCounts: number[] = [];
  for (const [word, count] of words) {
    if (count === 0) continue;
    const chars = Array.from(word);
    if (chars.length === 0 || chars.some((ch) => !alphabet.has(ch))) continue;
    wordSymbols.push(chars.map((ch, i) => intern(i === 0 ? ch : prefix + ch)));
    wordCounts.push(count);
  }
  const vocab: string[] = [...specialTokens];
  const inVocab = new Set(vocab);
  for (const s of [...symbols].sort()) {
    if (!inVocab.has(s)) {
      vocab.push(s);
      inVocab.add(s);
    }
  }

  // Pair statistics. Keys pack two symbol ids in one number.
  const K = 2 ** 24;
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const heap: HeapEntry[] = [];
  const less = (x: HeapEntry, y: HeapEntry): boolean => {
    // true when x should come out of the heap before y
    if (x.count !== y.count) return x.count > y.count;
    const xa = symbols[x.a];
    const ya = symbols[y.a];
    if (xa !== ya) return xa < ya;
    return symbols[x.b] < symbols[y.b];
  };
  const push = (entry: HeapEntry): void => {
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = (): HeapEntry | undefined => {
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  const addPairs = (w: number, sign: 1 | -1, changed: Set<number>): void => {
    const s = wordSymbols[w];
    const c = wordCounts[w] * sign;
    for (let i = 0; i + 1 < s.length; i++) {
      const key = s[i] * K + s[i + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + c);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (set === undefined) {
          set = new Set();
          pairWords.set(key, set);
        }
        set.add(w);
      }
      changed.add(key);
    }
  };
  const initial = new Set<number>();
  for (let w = 0; w < wordSymbols.length; w++) addPairs(w, 1, initial);
  for (const key of initial) push({ count: pairCounts.get(key)!, a: Math.floor(key / K), b: key % K });

  while (vocab.length < vocabSize) {
    const top = pop();
    if (top === undefined) break;
    const key = top.a * K + top.b;
    const current = pairCounts.get(key) ?? 0;
    if (current !== top.count) continue; // stale entry; a fresh one was pushed when it changed
    if (current < minFrequency) break;
    const left = symbols[top.a];
    const right = symbols[top.b];
    const merged = left + (right.startsWith(prefix) ? right.slice(prefix.length) : right);
    const mergedId = intern(merged);
    if (!inVocab.has(merged)) {
      vocab.push(merged);
      inVocab.add(merged);
    }
    const changed = new Set<number>();
    for (const w of pairWords.get(key) ?? []) {
      const s = wordSymbols[w];
      let has = false;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === top.a && s[i + 1] === top.b) {
          has = true;
          break;
        }
      }
      if (!has) continue;
      addPairs(w, -1, changed);
      const next: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === top.a && s[i + 1] === top.b) {
          next.push(mergedId);
          i++;
        } else {
          next.push(s[i]);
        }
      }
      wordSymbols[w] = next;
      addPairs(w, 1, changed);
    }
    pairCounts.delete(key);
    for (const k of changed) {
      if (k === key) continue;
      const c = pairCounts.get(k) ?? 0;
      if (c > 0) push({ count: c, a: Math.floor(k / K), b: k % K });
      else pairCounts.delete(k);
    }
  }
  return vocab;
}
