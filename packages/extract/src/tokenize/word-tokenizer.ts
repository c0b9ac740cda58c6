import { ModelFolderError } from '@xling/core';
import { Tokenizer } from 'tokenizers';
import type { ModelFolder } from '../model-folder/read-model-folder.js';

function tokenName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { content?: unknown }).content === 'string'
  ) {
    return (value as { content: string }).content;
  }
  return undefined;
}

function largestId(tokenizer: Tokenizer): number {
  let largest = -1;
  for (const id of Object.values(tokenizer.getVocab(true))) if (id > largest) largest = id;
  return largest;
}

/**
 * The model's own tokenizer.json (Hugging Face `tokenizers`, native binding), used word by word:
 * each pre-tokenised word is encoded on its own without special tokens and the pieces are
 * concatenated (METHOD.md section 2); the family decides the special tokens around them. The pure-JS
 * `@huggingface/tokenizers` gives other ids for some words (tokenizer-equivalence.test.ts), so the
 * native binding stays.
 */
export class WordTokenizer {
  /** Token put before the words ([CLS], <s>, BOS), if the family and tokenizer have one. */
  readonly startId: number | null;
  /** Token put after the words ([SEP], </s>), if any. */
  readonly endId: number | null;
  /** Unknown-word token, used for words that tokenise to nothing. */
  readonly unkId: number | null;
  /** Padding id (only ever seen under a zero attention mask). */
  readonly padId: number;
  /** Vocabulary size with added tokens. */
  readonly vocabSize: number;
  /**
   * Largest token id the tokenizer can give, special tokens included; the model's embedding must
   * have more rows (ids need not be contiguous, so this can exceed `vocabSize - 1`).
   */
  readonly maxId: number;
  private readonly tokenizer: Tokenizer;

  private constructor(tokenizer: Tokenizer, folder: ModelFolder) {
    this.tokenizer = tokenizer;
    const config = folder.tokenizerConfig;
    const id = (...keys: string[]): number | null => {
      for (const key of keys) {
        const name = tokenName(config[key]);
        const found = name === undefined ? null : tokenizer.tokenToId(name);
        if (found !== null && found !== undefined) return found;
      }
      return null;
    };
    const { start, end } = folder.family;
    const configBos = folder.config.bos_token_id;
    this.startId =
      start === 'cls'
        ? id('cls_token', 'bos_token')
        : start === 'bos'
          ? (id('bos_token') ??
            (folder.family.name === 'llama' && Number.isSafeInteger(configBos) && (configBos as number) >= 0
              ? (configBos as number)
              : null))
          : null;
    this.endId = end === 'sep' ? id('sep_token', 'eos_token') : null;
    this.unkId = id('unk_token');
    this.padId = id('pad_token') ?? 0;
    this.vocabSize = tokenizer.getVocabSize(true);
    this.maxId = Math.max(
      largestId(tokenizer),
      ...[this.startId, this.endId, this.unkId, this.padId].filter((v): v is number => v !== null),
    );
    if (start !== 'none' && this.startId === null && folder.family.kind === 'encoder') {
      throw new ModelFolderError(
        folder.dir,
        "tokenizer_config.json names no 'cls_token' (or 'bos_token') that tokenizer.json knows.",
      );
    }
  }

  /**
   * Loads tokenizer.json of `folder`.
   * @throws XLING_MODEL_FOLDER when tokenizer.json cannot be loaded.
   */
  static load(folder: ModelFolder): WordTokenizer {
    let tokenizer: Tokenizer;
    try {
      tokenizer = Tokenizer.fromFile(folder.tokenizerFile);
    } catch (error) {
      throw new ModelFolderError(
        folder.dir,
        `tokenizer.json cannot be loaded: ${(error as Error).message}`,
        [],
        { cause: error },
      );
    }
    return new WordTokenizer(tokenizer, folder);
  }

  /** Token ids of each word, encoded separately without special tokens (may be empty). */
  async tokenizeWords(words: readonly string[]): Promise<number[][]> {
    return this.encodeTexts(words);
  }

  /**
   * Token ids of each text, encoded separately without special tokens (may be empty): any
   * string, spaces and newlines included, for prompts built segment by segment.
   */
  async encodeTexts(texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const encodings = await this.tokenizer.encodeBatch([...texts], { addSpecialTokens: false });
    return encodings.map((e) => e.getIds());
  }
}
