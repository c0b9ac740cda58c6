import { InvalidArgumentError, stripDeprelSubtype } from '@xling/core';
import { readConllu } from '../conllu/read-conllu.js';

/** Counts of one CoNLL-U file (or of several files of one split, summed). */
export interface ConlluCounts {
  sentences: number;
  /** Syntactic words: lines with an integer ID (what MANIFEST.tsv and UD's stats.xml call words). */
  words: number;
  /** Multiword-token range lines (`3-4`). */
  multiwordTokens: number;
  /** Empty nodes (`8.1`). */
  emptyNodes: number;
  /** Words per UPOS tag, as written (keys sorted). */
  upos: Record<string, number>;
  /** Words per universal deprel: the subtype is stripped (`nmod:poss` counts as `nmod`; keys sorted). */
  deprel: Record<string, number>;
  /** Uncompressed bytes read. */
  bytes: number;
  /** Sentences left out by lenient reading (always 0 in strict mode). */
  skippedSentences: number;
}

/** Options of {@link conlluFileStats}. */
export interface ConlluFileStatsOptions {
  /** `strict` throws on the first format error; `lenient` skips bad sentences and counts them. @defaultValue 'strict' */
  mode?: 'strict' | 'lenient';
  signal?: AbortSignal;
}

/** Empty counts, to sum into. */
export function emptyCounts(): ConlluCounts {
  return {
    sentences: 0,
    words: 0,
    multiwordTokens: 0,
    emptyNodes: 0,
    upos: {},
    deprel: {},
    bytes: 0,
    skippedSentences: 0,
  };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Adds `b` into `a` (label maps included) and returns `a` with sorted label keys. */
export function addCounts(a: ConlluCounts, b: ConlluCounts): ConlluCounts {
  a.sentences += b.sentences;
  a.words += b.words;
  a.multiwordTokens += b.multiwordTokens;
  a.emptyNodes += b.emptyNodes;
  a.bytes += b.bytes;
  a.skippedSentences += b.skippedSentences;
  for (const [key, value] of Object.entries(b.upos)) a.upos[key] = (a.upos[key] ?? 0) + value;
  for (const [key, value] of Object.entries(b.deprel)) a.deprel[key] = (a.deprel[key] ?? 0) + value;
  a.upos = sortKeys(a.upos);
  a.deprel = sortKeys(a.deprel);
  return a;
}

/**
 * Counts sentences, syntactic words, multiword tokens, empty nodes, UPOS tags and universal
 * deprels of one CoNLL-U file (`.gz` read transparently), streaming with `readConllu`.
 *
 * @example
 * const counts = await conlluFileStats('UD_Welsh-CCG/cy_ccg-ud-test.conllu.gz');
 * counts.sentences; // 953
 * @throws XLING_FILE_FORMAT (strict mode) at the first format error, naming file:line:column.
 * @throws XLING_INVALID_ARGUMENT for a path that cannot be read or bad options.
 */
export async function conlluFileStats(
  path: string,
  options: ConlluFileStatsOptions = {},
): Promise<ConlluCounts> {
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError(
      'path',
      'conlluFileStats',
      `must be a non-empty string, but got ${String(path)}.`,
    );
  }
  const { mode = 'strict', signal } = options;
  const counts = emptyCounts();
  const upos = new Map<string, number>();
  const deprel = new Map<string, number>();
  for await (const sentence of readConllu(path, {
    mode,
    ...(signal === undefined ? {} : { signal }),
    onSkip: () => {
      counts.skippedSentences++;
    },
    onProgress: (event) => {
      if (event.status === 'end' && event.done !== undefined) counts.bytes = event.done;
    },
  })) {
    counts.sentences++;
    counts.words += sentence.words.length;
    counts.multiwordTokens += sentence.tokens.length;
    counts.emptyNodes += sentence.emptyNodes.length;
    for (const word of sentence.words) {
      upos.set(word.upos, (upos.get(word.upos) ?? 0) + 1);
      const relation = stripDeprelSubtype(word.deprel);
      deprel.set(relation, (deprel.get(relation) ?? 0) + 1);
    }
  }
  counts.upos = sortKeys(Object.fromEntries(upos));
  counts.deprel = sortKeys(Object.fromEntries(deprel));
  return counts;
}
