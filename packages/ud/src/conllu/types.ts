/**
 * One syntactic word line of CoNLL-U (integer ID). Columns keep their raw text, with `_` for
 * empty, so that writing a parsed file gives back the same bytes; `head` is parsed to a number
 * (`null` when the column is `_`).
 */
export interface Word {
  /** 1-based word index (column 1). */
  id: number;
  form: string;
  lemma: string;
  upos: string;
  xpos: string;
  feats: string;
  /** Head word index, 0 for the root, null when the column is `_`. */
  head: number | null;
  deprel: string;
  /** Enhanced dependencies (column 9), raw. */
  deps: string;
  misc: string;
  /** 1-based line number in the source, for diagnostics (0 for words made by pre-processing). */
  line: number;
}

/** A multiword token range line such as `3-4  del  _ ...`. */
export interface MultiwordToken {
  /** First word id of the range. */
  start: number;
  /** Last word id of the range (inclusive). */
  end: number;
  form: string;
  /** Column 10 raw (normally `_`; may carry `SpaceAfter=No`). */
  misc: string;
  /** Columns 3-9 raw (LEMMA ... DEPS, normally all `_`), kept for a byte-exact round trip. */
  rest: string[];
  line: number;
}

/** An empty node line such as `8.1` (enhanced UD). */
export interface EmptyNode {
  /** Integer part: the word it follows (0 = before the first word). */
  major: number;
  /** Decimal part, 1-based. */
  minor: number;
  /** Columns 2-10 raw (FORM ... MISC). */
  columns: string[];
  line: number;
}

/**
 * One sentence of a CoNLL-U file.
 *
 * The order of the non-comment lines is not stored: in valid CoNLL-U it follows from the ids
 * (a range line comes right before its first word, empty nodes `i.1, i.2, ...` right after word
 * `i`), and the reader rejects any other order, so {@link stringifyConllu} can rebuild it.
 */
export interface Sentence {
  /** Comment lines in order, each without its leading `#` (so `# text = x` is ` text = x`). */
  comments: string[];
  /** `# key = value` comments parsed (sent_id, text, ...); later keys win. */
  metadata: Record<string, string>;
  /** Syntactic words in id order. */
  words: Word[];
  /** Multiword token ranges in file order. */
  tokens: MultiwordToken[];
  /** Empty nodes in file order. */
  emptyNodes: EmptyNode[];
  /** 1-based line of the first line of the sentence (comment or word). */
  line: number;
}
