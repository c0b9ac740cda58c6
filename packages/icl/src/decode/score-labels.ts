import type { LabelTrie, LabelTrieNode } from '../labels/label-trie.js';
import type { Decoder, DecoderState } from './decoder.js';

/** How a label's token log-probabilities make its score. */
export type Scoring = 'mean' | 'sum';
export const SCORINGS: readonly Scoring[] = ['mean', 'sum'];

/** Labels' scores at one tag position, and the states of the trie's inner nodes it computed. */
export interface LabelScores {
  /** Score of each label of the trie, by label index. */
  scores: Float64Array;
  /** The state after each inner node's path, for feeding a label back without recomputing it. */
  states: Map<LabelTrieNode, DecoderState>;
}

/** log Σ exp(logits), in float64 (the reference's log-softmax is over the whole vocabulary). */
export function logSumExp(logits: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/**
 * Scores every label of `trie` after `state` (the prompt up to ` w_i_`): the log-probabilities
 * of a label's tokens given the prompt and its earlier tokens, averaged ('mean', Blevins et al.)
 * or summed ('sum', MEGA). The first tokens come from `state`'s logits; every inner node costs
 * one single-token pass from its parent's cache (the cache is immutable, so siblings share it).
 */
export async function scoreLabels(
  trie: LabelTrie,
  state: DecoderState,
  decoder: Decoder,
  scoring: Scoring,
): Promise<LabelScores> {
  const scores = new Float64Array(trie.sequences.length);
  const states = new Map<LabelTrieNode, DecoderState>();
  const visit = async (node: LabelTrieNode, at: DecoderState, logProbability: number): Promise<void> => {
    const normaliser = logSumExp(at.logits);
    for (const child of node.children.values()) {
      const total = logProbability + at.logits[child.token] - normaliser;
      for (const label of child.labels)
        scores[label] = scoring === 'mean' ? total / child.path.length : total;
      if (child.children.size === 0) continue;
      const next = await decoder.advance(at, [child.token]);
      states.set(child, next);
      await visit(child, next, total);
    }
  };
  await visit(trie.root, state, 0);
  return { scores, states };
}

/**
 * The state after `tokens` (a label) and then `next` (the next word's segment): one pass from the
 * deepest inner node on the label's path whose state {@link scoreLabels} kept (the root `state`
 * when none), over the tokens not yet run.
 */
export async function feedLabel(
  trie: LabelTrie,
  scored: LabelScores,
  state: DecoderState,
  tokens: readonly number[],
  next: readonly number[],
  decoder: Decoder,
): Promise<DecoderState> {
  let node = trie.root;
  let from = state;
  let used = 0;
  for (const token of tokens) {
    const child = node.children.get(token);
    const kept = child && scored.states.get(child);
    if (!child || !kept) break;
    node = child;
    from = kept;
    used++;
  }
  return decoder.advance(from, [...tokens.slice(used), ...next]);
}
