import type { LabelTrie } from '../labels/label-trie.js';
import type { Decoder, DecoderState } from './decoder.js';
import { type Scoring, feedLabel, scoreLabels } from './score-labels.js';

/** A test sentence as token ids. */
export interface EncodedSentence {
  /** `Context: …\n` and `Tagged:`. */
  head: readonly number[];
  /** ` w_i_` of each word (each non-empty). */
  words: readonly (readonly number[])[];
  /** The gold label form's tokens of each word (for teacher forcing). */
  gold: readonly (readonly number[])[];
}

/** Decoding output for one sentence. */
export interface TaggedOutput {
  /** Index into the trie's labels of each word's best label. */
  predicted: number[];
  /** `words × labels` scores. */
  scores: Float64Array;
  /** `words × layers × hiddenSize` states at the tag positions (empty without layers). */
  hiddenStates: Float32Array;
}

/**
 * Greedy constrained decoding of one sentence after `prefix` (the demonstrations; undefined for
 * an empty prompt): for each word, score every label after ` w_i_`, take the best (the first in
 * label order on a tie), append it — or the gold label with `teacherForcing` — and go on.
 */
export async function tagSentence(
  decoder: Decoder,
  prefix: DecoderState | undefined,
  sentence: EncodedSentence,
  trie: LabelTrie,
  options: { scoring: Scoring; teacherForcing: boolean },
): Promise<TaggedOutput> {
  const labels = trie.sequences.length;
  const count = sentence.words.length;
  const scores = new Float64Array(count * labels);
  const predicted: number[] = [];
  const hidden: Float32Array[] = [];
  let state = await decoder.advance(prefix, [...sentence.head, ...sentence.words[0]]);
  for (let i = 0; i < count; i++) {
    hidden.push(...state.hidden);
    const scored = await scoreLabels(trie, state, decoder, options.scoring);
    scores.set(scored.scores, i * labels);
    let best = 0;
    for (let label = 1; label < labels; label++) if (scored.scores[label] > scored.scores[best]) best = label;
    predicted.push(best);
    if (i + 1 === count) break;
    const fed = options.teacherForcing ? sentence.gold[i] : trie.sequences[best];
    state = await feedLabel(trie, scored, state, fed, sentence.words[i + 1], decoder);
  }
  const hiddenStates = new Float32Array(hidden.reduce((n, h) => n + h.length, 0));
  let offset = 0;
  for (const h of hidden) {
    hiddenStates.set(h, offset);
    offset += h.length;
  }
  return { predicted, scores, hiddenStates };
}
