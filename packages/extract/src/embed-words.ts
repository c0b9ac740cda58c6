import type { HiddenStateModel } from './hidden-state-model.js';
import { runBatches } from './onnx/run-batches.js';
import { type Pooling, poolWords } from './pooling/pool-words.js';
import {
  type EmptyWord,
  type Overflow,
  type SentenceSequences,
  buildSequences,
} from './tokenize/build-sequences.js';

/** Word vectors of one sentence, or why it was skipped. */
export type EmbeddedWords =
  | {
      skipped: false;
      /** Per layer, per pooling: `words × d` row-major. */
      words: Map<number, Map<Pooling, Float32Array>>;
      /** Per layer: the [CLS]/BOS vector (zeros when the family puts no token first). */
      root: Map<number, Float32Array>;
      subwordCounts: number[];
      /** Tokens fed to the model (special tokens included, over all windows). */
      tokens: number;
      emptyWords: number;
      windows: number;
    }
  | { skipped: true; reason: string };

export interface EmbedWordsOptions {
  layers: readonly number[];
  poolings: readonly Pooling[];
  maxLength: number;
  overflow: Overflow;
  emptyWord: EmptyWord;
  batchTokens: number;
  functionName: string;
  /** Index of `sentences[0]` in the caller's sequence, for messages. */
  firstIndex: number;
  signal?: AbortSignal;
}

/** Tokenises, runs and pools a group of sentences (the shared core of extraction). */
export async function embedWords(
  model: HiddenStateModel,
  sentences: ReadonlyArray<readonly string[]>,
  options: EmbedWordsOptions,
): Promise<EmbeddedWords[]> {
  const { layers, poolings, maxLength, overflow, emptyWord, batchTokens, functionName, firstIndex, signal } =
    options;
  const d = model.hiddenSize;
  const built: Array<SentenceSequences | { skipped: string }> = [];
  for (let i = 0; i < sentences.length; i++) {
    built.push(
      await buildSequences(model.tokenizer, sentences[i], {
        maxLength,
        overflow,
        emptyWord,
        where: `sentence ${firstIndex + i}`,
        functionName,
      }),
    );
  }
  const flat: number[][] = [];
  for (const b of built) if (!('skipped' in b)) for (const w of b.windows) flat.push(w.ids);
  const hidden = await runBatches(model, flat, layers, batchTokens, signal);
  let at = 0;
  return built.map((b) => {
    if ('skipped' in b) return { skipped: true, reason: b.skipped };
    const nWords = b.subwordCounts.length;
    const words = new Map<number, Map<Pooling, Float32Array>>();
    const root = new Map<number, Float32Array>();
    for (const layer of layers) {
      const byPooling = new Map<Pooling, Float32Array>();
      for (const pooling of poolings) byPooling.set(pooling, new Float32Array(nWords * d));
      words.set(layer, byPooling);
      // The root's head vector: position 0 of the first window when the family puts [CLS]/BOS there.
      root.set(
        layer,
        model.tokenizer.startId === null ? new Float32Array(d) : hidden[at].get(layer)!.slice(0, d),
      );
    }
    let offset = 0;
    let tokens = 0;
    for (const window of b.windows) {
      const states = hidden[at++];
      tokens += window.ids.length;
      for (const layer of layers) {
        for (const pooling of poolings)
          poolWords(states.get(layer)!, d, window.spans, pooling, words.get(layer)!.get(pooling)!, offset);
      }
      offset += window.spans.length;
    }
    return {
      skipped: false,
      words,
      root,
      subwordCounts: b.subwordCounts,
      tokens,
      emptyWords: b.emptyWords,
      windows: b.windows.length,
    };
  });
}
