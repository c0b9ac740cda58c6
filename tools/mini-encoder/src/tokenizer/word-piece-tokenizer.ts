import { InvalidArgumentError } from '@xling/core';
import { bertNormalize, bertPreTokenize } from './bert-pre-tokenize.js';

/** The special tokens every xling WordPiece vocabulary has. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/**
 * A BERT WordPiece tokenizer (cased, accents kept) equal to the Hugging Face `tokenizer.json` it
 * writes: `BertNormalizer` + `BertPreTokenizer` + greedy longest-match-first WordPiece with `##`
 * continuation pieces; a piece with no segmentation (or longer than 100 characters) becomes
 * `[UNK]`. Used to tokenise the training text; the ONNX side reads `tokenizer.json`.
 *
 * @see https://github.com/google-research/bert/blob/master/tokenization.py (WordpieceTokenizer)
 */
export class WordPieceTokenizer {
  readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly cache = new Map<string, number[]>();
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;

  constructor(
    vocab: readonly string[],
    readonly maxInputCharsPerWord = 100,
  ) {
    this.vocab = vocab;
    this.ids = new Map(vocab.map((token, id) => [token, id]));
    if (this.ids.size !== vocab.length) {
      throw new InvalidArgumentError('vocab', 'WordPieceTokenizer', 'must not contain duplicate tokens.');
    }
    const need = (token: string): number => {
      const id = this.ids.get(token);
      if (id === undefined) {
        throw new InvalidArgumentError(
          'vocab',
          'WordPieceTokenizer',
          `must contain the special token '${token}'.`,
        );
      }
      return id;
    };
    [this.padId, this.unkId, this.clsId, this.sepId, this.maskId] = SPECIAL_TOKENS.map(need);
  }

  /** Id of `token`, or undefined. */
  tokenId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Greedy longest-match-first WordPiece of one pre-tokenised piece. */
  wordPiece(piece: string): number[] {
    const chars = Array.from(piece);
    if (chars.length > this.maxInputCharsPerWord) return [this.unkId];
    const out: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found = -1;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        const id = this.ids.get(sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) return [this.unkId];
      out.push(found);
      start = end;
    }
    return out;
  }

  /** Token ids of one UD word (normalised, pre-tokenised, WordPiece'd); cached. */
  tokenizeWord(word: string): number[] {
    let ids = this.cache.get(word);
    if (ids === undefined) {
      ids = bertPreTokenize(bertNormalize(word)).flatMap((piece) => this.wordPiece(piece));
      this.cache.set(word, ids);
    }
    return ids;
  }

  /**
   * `[CLS]` + each word tokenised separately and concatenated + `[SEP]` (METHOD.md section 2),
   * truncated to `maxLength` tokens (the final `[SEP]` kept).
   */
  encodeWords(words: readonly string[], maxLength = 128): Int32Array {
    const ids: number[] = [this.clsId];
    for (const word of words) {
      for (const id of this.tokenizeWord(word)) ids.push(id);
      if (ids.length >= maxLength - 1) break;
    }
    const body = ids.slice(0, maxLength - 1);
    body.push(this.sepId);
    return Int32Array.from(body);
  }

  /** The Hugging Face `tokenizer.json` object of this tokenizer. */
  toTokenizerJson(): Record<string, unknown> {
    const special = (token: string) => ({
      id: this.ids.get(token),
      content: token,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    });
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIAL_TOKENS.map(special),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: false,
        lowercase: false,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
        ],
        pair: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [this.clsId], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [this.sepId], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: this.maxInputCharsPerWord,
        vocab: Object.fromEntries(this.vocab.map((token, id) => [token, id])),
      },
    };
  }

  /** Reads the vocabulary back from a `tokenizer.json` object written by {@link toTokenizerJson}. */
  static fromTokenizerJson(json: {
    model?: { vocab?: Record<string, number>; max_input_chars_per_word?: number };
  }): WordPieceTokenizer {
    const entries = Object.entries(json.model?.vocab ?? {});
    const vocab: string[] = new Array(entries.length);
    for (const [token, id] of entries) vocab[id] = token;
    return new WordPieceTokenizer(vocab, json.model?.max_input_chars_per_word ?? 100);
  }
}
