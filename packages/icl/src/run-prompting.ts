import { InvalidArgumentError, throwIfAborted } from '@xling/core';
import type { Decoder, DecoderState } from './decode/decoder.js';
import { fitDemonstrations } from './decode/fit-demonstrations.js';
import { type EncodedSentence, tagSentence } from './decode/tag-sentence.js';
import { type LabelTrie, buildLabelTrie } from './labels/label-trie.js';
import { demonstrationSegments } from './prompt/prompt-segments.js';
import type { SegmentEncoder } from './prompt/segment-encoder.js';
import { FUNCTION_NAME, type ResolvedOptions } from './structured-prompting-options.js';
import type { TaggedSentence } from './tagged-sentence.js';

/** The result of one test sentence in one run. */
export interface IclSentenceResult {
  /** Predicted label of each word (the task's label names, whatever the label form). */
  predicted: string[];
  /** `words × candidates` label scores, in the run's `candidates` order. */
  scores: Float64Array;
  /** Demonstrations in this sentence's prompt: fewer than the set's when the prompt overflowed. */
  k: number;
  /** Why the sentence was not tagged: it overflows even without demonstrations. */
  skipped?: string;
  /**
   * `words × layers × hiddenSize` hidden states at each word's tag-prediction position (the last
   * token of ` w_i_`), in `options.layers` order; present when layers were asked for.
   */
  hiddenStates?: Float32Array;
}

/** One run: a demonstration set and what it gave. */
export interface IclRun {
  /** The set, as indices into the demonstration pool, in prompt order. */
  demonstrations: number[];
  /** The labels scored, in label order. */
  candidates: string[];
  sentences: IclSentenceResult[];
  /** Correct words of the tagged sentences. */
  correct: number;
  /** Words of the tagged sentences. */
  total: number;
  /** `correct / total` (NaN when every sentence was skipped). */
  accuracy: number;
  /** Sentences skipped for overflow. */
  skipped: number;
}

/** What every run shares. */
export interface RunContext {
  options: ResolvedOptions;
  pool: readonly TaggedSentence[];
  sentences: readonly TaggedSentence[];
  tests: readonly EncodedSentence[];
  encoder: SegmentEncoder;
  decoder: Decoder;
  bos: number | null;
  /** Label form of each label, and its tokens. */
  forms: readonly string[];
  sequences: readonly (readonly number[])[];
  labelIndex: ReadonlyMap<string, number>;
  /** Called after each sentence of `words` words. */
  progress: (run: IclRun, words: number) => void;
}

/** The labels a run scores: all, or those its demonstrations show, in label order. */
function candidateLabels(context: RunContext, set: readonly number[]): number[] {
  const { labels, labelSet } = context.options;
  const seen = new Set(set.flatMap((i) => context.pool[i].tags));
  const candidates = labels.flatMap((label, i) => (labelSet === 'all' || seen.has(label) ? [i] : []));
  if (candidates.length === 0) {
    throw new InvalidArgumentError(
      'options.labelSet',
      FUNCTION_NAME,
      "cannot be 'seen' for a run without demonstrations (k = 0 or an empty pool).",
    );
  }
  return candidates;
}

/** Token ids of each demonstration of `set`, its tags in their label forms. */
function encodeDemonstrations(context: RunContext, set: readonly number[]): Promise<number[][]> {
  const { pool, forms, labelIndex } = context;
  return Promise.all(
    set.map((i) =>
      context.encoder.encodeJoined(
        demonstrationSegments(
          pool[i].words,
          pool[i].tags.map((tag) => forms[labelIndex.get(tag)!]),
        ),
      ),
    ),
  );
}

/**
 * Positions a test sentence may take, an upper bound: every word's segment and its deepest label
 * pass (or its longer gold label when that is fed back).
 */
function positionsNeeded(test: EncodedSentence, trie: LabelTrie, teacherForcing: boolean): number {
  const longest = Math.max(...trie.sequences.map((s) => s.length));
  return test.words.reduce(
    (sum, ids, i) => sum + ids.length + Math.max(longest, teacherForcing ? test.gold[i].length : 0),
    test.head.length,
  );
}

/** Tags every test sentence after the demonstrations of `set`. */
export async function runPrompting(context: RunContext, set: readonly number[]): Promise<IclRun> {
  const { options, decoder } = context;
  const candidates = candidateLabels(context, set);
  const trie = buildLabelTrie(candidates.map((label) => context.sequences[label]));
  const demonstrations = await encodeDemonstrations(context, set);
  const start = context.bos === null ? [] : [context.bos];
  const prefixLengths = [start.length];
  for (const ids of demonstrations) prefixLengths.push(prefixLengths.at(-1)! + ids.length);
  // The prefix is run once per set; a shorter one only for the sentences that overflow.
  const prefixes = new Map<number, Promise<DecoderState | undefined>>();
  const prefix = (k: number) => {
    const ids = [...start, ...demonstrations.slice(0, k).flat()];
    if (!prefixes.has(k))
      prefixes.set(k, ids.length > 0 ? decoder.advance(undefined, ids) : Promise.resolve(undefined));
    return prefixes.get(k)!;
  };
  const run: IclRun = {
    demonstrations: [...set],
    candidates: candidates.map((i) => options.labels[i]),
    sentences: [],
    correct: 0,
    total: 0,
    accuracy: Number.NaN,
    skipped: 0,
  };
  for (const [index, test] of context.tests.entries()) {
    throwIfAborted(options.signal, FUNCTION_NAME);
    const needed = positionsNeeded(test, trie, options.teacherForcing);
    const k = fitDemonstrations(prefixLengths, needed, options.maxPositions);
    if (k < 0) {
      const skipped = `${prefixLengths[0] + needed} positions > limit ${options.maxPositions}`;
      run.sentences.push({ predicted: [], scores: new Float64Array(0), k: 0, skipped });
      run.skipped++;
    } else {
      const output = await tagSentence(decoder, await prefix(k), test, trie, options);
      const predicted = output.predicted.map((c) => run.candidates[c]);
      const gold = context.sentences[index].tags;
      run.correct += predicted.filter((tag, i) => tag === gold[i]).length;
      run.total += gold.length;
      const { scores, hiddenStates } = output;
      run.sentences.push({ predicted, scores, k, ...(options.layers.length > 0 ? { hiddenStates } : {}) });
    }
    run.accuracy = run.correct / run.total;
    context.progress(run, test.words.length);
  }
  return run;
}
