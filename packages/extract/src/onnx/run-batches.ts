import { throwIfAborted } from '@xling/core';
import type { HiddenStateModel } from '../hidden-state-model.js';

/**
 * Runs token sequences through the model in batches grouped by length (longest first, so padding
 * stays small), each batch holding at most `batchTokens` padded tokens. Returns, for each
 * sequence in input order, each layer's `length × d` hidden states.
 */
export async function runBatches(
  model: HiddenStateModel,
  sequences: readonly number[][],
  layers: readonly number[],
  batchTokens: number,
  signal?: AbortSignal,
): Promise<Array<Map<number, Float32Array>>> {
  const d = model.hiddenSize;
  const order = sequences.map((_, i) => i).sort((a, b) => sequences[b].length - sequences[a].length || a - b);
  const results: Array<Map<number, Float32Array>> = new Array(sequences.length);
  let at = 0;
  while (at < order.length) {
    throwIfAborted(signal, 'extractHiddenStates');
    const length = sequences[order[at]].length;
    const size = Math.max(1, Math.floor(batchTokens / length));
    const members = order.slice(at, at + size);
    at += members.length;
    const ids = new Int32Array(members.length * length).fill(model.tokenizer.padId);
    members.forEach((s, b) => {
      ids.set(sequences[s], b * length);
    });
    const out = await model.run(
      ids,
      members.map((s) => sequences[s].length),
      length,
      layers,
    );
    members.forEach((s, b) => {
      const n = sequences[s].length;
      const byLayer = new Map<number, Float32Array>();
      for (const [layer, data] of out) byLayer.set(layer, data.slice(b * length * d, (b * length + n) * d));
      results[s] = byLayer;
    });
  }
  return results;
}
