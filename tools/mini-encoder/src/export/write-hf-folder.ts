import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Tensor, encodeSafetensors, writeFileAtomic } from '@xling/core';
import { type MiniBertConfig, toHfConfig } from '../model/mini-bert-config.js';
import type { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

/** Options of {@link writeHfFolder}. */
export interface WriteHfFolderOptions {
  /** Prefix of the encoder tensors (`'bert.'` as `BertForMaskedLM.save_pretrained` writes). @defaultValue `'bert.'` */
  encoderPrefix?: string;
  /** safetensors `__metadata__`. */
  metadata?: Record<string, string>;
  /** Model card text (README.md); not written when absent. */
  card?: string;
}

/**
 * Writes a model in the Hugging Face BERT layout: `config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `model.safetensors` (float32; encoder tensors prefixed `bert.`, MLM
 * head `cls.predictions.*`, decoder weight tied to the word embeddings and stored once), and
 * `README.md` when a card is given.
 */
export async function writeHfFolder(
  folder: string,
  config: MiniBertConfig,
  tokenizer: WordPieceTokenizer,
  params: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, number[]>,
  options: WriteHfFolderOptions = {},
): Promise<void> {
  const { encoderPrefix = 'bert.', metadata = { format: 'pt' }, card } = options;
  await mkdir(folder, { recursive: true });
  const tensors: Record<string, Tensor> = {};
  for (const [name, data] of params) {
    const key = name.startsWith('cls.') ? name : encoderPrefix + name;
    tensors[key] = { dtype: 'F32', shape: shapes.get(name)!, data };
  }
  await writeFileAtomic(join(folder, 'model.safetensors'), encodeSafetensors(tensors, metadata));
  await writeFileAtomic(join(folder, 'config.json'), `${JSON.stringify(toHfConfig(config), null, 2)}\n`);
  await writeTokenizerFiles(folder, tokenizer, config.maxPositionEmbeddings);
  if (card !== undefined) await writeFileAtomic(join(folder, 'README.md'), card);
}

/**
 * Writes `tokenizer.json` and a matching `tokenizer_config.json` (cased WordPiece, BERT specials,
 * plus `extra` keys such as a decoder's `bos_token`).
 */
export async function writeTokenizerFiles(
  folder: string,
  tokenizer: WordPieceTokenizer,
  maxLength: number,
  extra: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(
    join(folder, 'tokenizer.json'),
    `${JSON.stringify(tokenizer.toTokenizerJson(), null, 2)}\n`,
  );
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: false,
    strip_accents: false,
    tokenize_chinese_chars: true,
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
    model_max_length: maxLength,
    clean_up_tokenization_spaces: true,
    ...extra,
  };
  await writeFileAtomic(
    join(folder, 'tokenizer_config.json'),
    `${JSON.stringify(tokenizerConfig, null, 2)}\n`,
  );
}
