import { UPOS_LABELS } from '@xling/core';
import { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

/** The 17 universal POS tags of UD v2 (the shared inventory of `@xling/core`). */
export const UPOS_TAGS = UPOS_LABELS;

/** The words of the structured-prompting lines (`Context:`, `Tagged:`; `@xling/icl`'s prompt-segments.ts). */
export const PROMPT_WORDS = ['Context', 'Tagged'] as const;

/**
 * The decoder's tokenizer: the encoder's WordPiece vocabulary with the UPOS tags and the prompt
 * words appended as whole pieces (ids after the encoder's, which keep their meaning). In the
 * encoder's vocabulary the tags are 3 to 6 pieces (`PROPN` = `P ##R ##O ##P ##N`), so every tag
 * would cost several forward passes and share its first piece with others; as single pieces each
 * word's tag is one decoding step and the prompt is about a third shorter.
 */
export function decoderTokenizer(encoder: WordPieceTokenizer): WordPieceTokenizer {
  const added = [...UPOS_TAGS, ...PROMPT_WORDS].filter((token) => encoder.tokenId(token) === undefined);
  return new WordPieceTokenizer([...encoder.vocab, ...added], encoder.maxInputCharsPerWord);
}
