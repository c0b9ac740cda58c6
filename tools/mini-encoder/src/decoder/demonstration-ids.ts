import type { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

/** A tagged sentence as a token sequence, with a 1 at each tag token. */
export interface DemonstrationIds {
  ids: number[];
  tagMask: number[];
}

/**
 * The tokens of one structured-prompting demonstration, `Context: w1 … wn` newline `Tagged:
 * w1_T1 … wn_Tn` newline, segment by segment as `@xling/icl` encodes prompts
 * (packages/icl/src/prompt/prompt-segments.ts: `Context: …\n`, `Tagged:`, ` w_`, the tag, `\n`).
 * The BERT normaliser and pre-tokeniser split at every space and punctuation mark, so encoding the
 * segments one by one gives the same ids as encoding the whole line, and the newlines give none.
 */
export function demonstrationIds(
  tokenizer: WordPieceTokenizer,
  words: readonly string[],
  tags: readonly string[],
): DemonstrationIds {
  const ids = [...tokenizer.tokenizeWord('Context:'), ...words.flatMap((w) => tokenizer.tokenizeWord(w))];
  ids.push(...tokenizer.tokenizeWord('Tagged:'));
  const tagMask = ids.map(() => 0);
  words.forEach((word, i) => {
    const head = tokenizer.tokenizeWord(` ${word}_`);
    const tag = tokenizer.tokenizeWord(tags[i]);
    ids.push(...head, ...tag);
    tagMask.push(...head.map(() => 0), ...tag.map(() => 1));
  });
  return { ids, tagMask };
}
