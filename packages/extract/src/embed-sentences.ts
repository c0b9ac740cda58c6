import { type Matrix, checkOptions, throwIfAborted } from '@xling/core';
import { embedWords } from './embed-words.js';
import { checkLayers, checkPoolings } from './extract-options.js';
import type { HiddenStateModel } from './hidden-state-model.js';
import type { Pooling } from './pooling/pool-words.js';
import type { EmptyWord, Overflow } from './tokenize/build-sequences.js';

/** Options of {@link embedSentences}. */
export interface EmbedSentencesOptions {
  /** Layers to return, 0 = embeddings up to `model.numLayers`. */
  layers: number[];
  /**
   * Sub-word pooling, one or several.
   * @defaultValue `'first'` for encoders, `'last'` for decoders
   */
  pooling?: Pooling | Pooling[];
  /**
   * Sentences longer than the model's limit: `'skip'` them (reported in the result) or cut them
   * into `'window'`s of whole words, each with its own special tokens.
   * @defaultValue `'skip'`
   */
  overflow?: Overflow;
  /**
   * Words that tokenise to nothing: `'unk'` gives them the unknown token, `'error'` throws.
   * @defaultValue `'unk'`
   */
  emptyWord?: EmptyWord;
  /**
   * Padded tokens per onnxruntime batch.
   * @defaultValue `4096`
   */
  batchTokens?: number;
  signal?: AbortSignal;
}

/** Word vectors of one sentence from {@link embedSentences}. */
export type EmbeddedSentence =
  | {
      skipped: false;
      /** `words[layer][pooling]`: `words × d` float32. */
      words: Record<number, Partial<Record<Pooling, Matrix>>>;
      /** `root[layer]`: the [CLS]/BOS vector (zeros when the family has no start token). */
      root: Record<number, Float32Array>;
      /** Sub-word pieces per word. */
      subwordCounts: number[];
      /** Tokens fed to the model, special tokens included. */
      tokens: number;
    }
  | { skipped: true; reason: string };

export const EMBED_CONSTRAINTS = {
  overflow: { type: 'enum', values: ['skip', 'window'], optional: true },
  emptyWord: { type: 'enum', values: ['unk', 'error'], optional: true },
  batchTokens: { type: 'integer', min: 1, optional: true },
} as const;

/**
 * Word-level hidden states of pre-tokenised sentences, in memory: each word is tokenised on its
 * own with the model's tokenizer.json, the pieces are concatenated inside the family's special
 * tokens, the sequences run in length-grouped batches, and each word's pieces are pooled.
 *
 * @example
 * ```ts
 * const model = await HiddenStateModel.load('models/tiny-bert');
 * const [s] = await embedSentences(model, [['The', 'cats', 'sat']], { layers: [2] });
 * s.skipped || s.words[2].first; // Matrix 3 × 32
 * ```
 * @throws XLING_INVALID_ARGUMENT for a layer out of range, an empty sentence, bad options, or
 * (with `emptyWord: 'error'`) a word that tokenises to nothing.
 */
export async function embedSentences(
  model: HiddenStateModel,
  sentences: ReadonlyArray<readonly string[]>,
  options: EmbedSentencesOptions,
): Promise<EmbeddedSentence[]> {
  const { layers: rawLayers, pooling, signal, ...rest } = options;
  checkOptions(rest, EMBED_CONSTRAINTS, 'embedSentences');
  const { overflow = 'skip', emptyWord = 'unk', batchTokens = 4096 } = rest;
  const layers = checkLayers(model, rawLayers, 'embedSentences');
  const poolings = checkPoolings(model, pooling, 'embedSentences');
  throwIfAborted(signal, 'embedSentences');
  const d = model.hiddenSize;
  const embedded = await embedWords(model, sentences, {
    layers,
    poolings,
    maxLength: model.maxLength,
    overflow,
    emptyWord,
    batchTokens,
    functionName: 'embedSentences',
    firstIndex: 0,
    signal,
  });
  return embedded.map((e) => {
    if (e.skipped) return e;
    const words: Record<number, Partial<Record<Pooling, Matrix>>> = {};
    const root: Record<number, Float32Array> = {};
    for (const layer of layers) {
      words[layer] = {};
      for (const p of poolings)
        words[layer][p] = { rows: e.subwordCounts.length, cols: d, data: e.words.get(layer)!.get(p)! };
      root[layer] = e.root.get(layer)!;
    }
    return { skipped: false, words, root, subwordCounts: e.subwordCounts, tokens: e.tokens };
  });
}
