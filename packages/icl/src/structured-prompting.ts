import { type GenerationModel, WordTokenizer } from '@xling/extract';
import { Decoder } from './decode/decoder.js';
import type { Scoring } from './decode/score-labels.js';
import { encodeLabelForms } from './labels/encode-label-forms.js';
import { type LabelForm, labelForms } from './labels/label-forms.js';
import { encodeTestSentence } from './prompt/encode-test-sentence.js';
import { SegmentEncoder } from './prompt/segment-encoder.js';
import { reportProgress } from './report-progress.js';
import { type IclRun, type RunContext, runPrompting } from './run-prompting.js';
import { sampleDemonstrations } from './sample/sample-demonstrations.js';
import { type MajorityBaselines, majorityBaselines } from './score/majority-baselines.js';
import { type AccuracySummary, summarizeAccuracy } from './score/summarize-accuracy.js';
import {
  type DemonstrationPool,
  FUNCTION_NAME,
  type StructuredPromptingOptions,
  resolveOptions,
} from './structured-prompting-options.js';
import { type IclTask, type TaggedSentence, checkTaggedSentences } from './tagged-sentence.js';

/** The result of {@link structuredPrompting}; every setting needed to repeat it is recorded. */
export interface StructuredPromptingReport {
  task: IclTask;
  source: DemonstrationPool['from'];
  /** The task's labels, and how each was written in the prompt. */
  labels: string[];
  forms: string[];
  labelForm: LabelForm;
  labelSet: 'all' | 'seen';
  scoring: Scoring;
  teacherForcing: boolean;
  seed: number;
  maxPositions: number;
  /** `hidden_states` indices of each sentence's `hiddenStates`. */
  layers: number[];
  runs: IclRun[];
  /** Token accuracy over runs (punctuation included). */
  accuracy: AccuracySummary;
  /** Majority baselines learnt from the demonstration pool; null without one. */
  baselines: MajorityBaselines | null;
  /** Decoder passes and tokens run, the prefixes included. */
  forwardPasses: number;
  tokens: number;
  /** Labels the trie cannot tell apart in this tokenizer. */
  warnings: string[];
}

/**
 * Sequence tagging by structured prompting (Blevins et al. 2023) with a decoder: each prompt is
 * BOS, k demonstrations `Context: w1 … wn\nTagged: w1_T1 … wn_Tn\n` and the test sentence's
 * `Context: …\nTagged:`; after each ` w_i_` every candidate label is scored by its tokens'
 * mean (or summed) log-probability, read off a trie of the labels' token sequences, and the best
 * label is fed back. The demonstration prefix is run once per set and its cache reused for every
 * sentence; prompts longer than `maxPositions` drop demonstrations from the end (the effective k
 * is recorded per sentence).
 *
 * @param model - A decoder's generation graph (`GenerationModel.load`).
 * @param sentences - Test sentences with their gold tags.
 * @param demonstrations - The pool to draw from: `{ from: 'source' | 'target', sentences }`, or
 *   `{ from: 'none' }` (k = 0, one run).
 * @throws XLING_INVALID_ARGUMENT for bad options, sentences or labels the tokenizer drops.
 * @throws XLING_ABORTED when `options.signal` fires.
 * @example
 * const report = await structuredPrompting(model, test, { from: 'target', sentences: train });
 * report.accuracy; // { mean: 0.81, standardError: 0.01, perRun: [...] }
 */
export async function structuredPrompting(
  model: GenerationModel,
  sentences: readonly TaggedSentence[],
  demonstrations: DemonstrationPool,
  options: StructuredPromptingOptions = {},
): Promise<StructuredPromptingReport> {
  const resolved = resolveOptions(model, demonstrations, options);
  const { labels, k, runs, seed, onProgress } = resolved;
  checkTaggedSentences(sentences, new Set(labels), 'sentences', FUNCTION_NAME);
  const pool = demonstrations.from === 'none' ? [] : demonstrations.sentences;
  const tokenizer = WordTokenizer.load(model.folder);
  const encoder = new SegmentEncoder(tokenizer);
  const forms = labelForms(labels, resolved.labelForm, seed);
  const { sequences, warnings } = await encodeLabelForms(encoder, labels, forms, FUNCTION_NAME);
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const tests = [];
  for (const [i, sentence] of sentences.entries()) {
    tests.push(await encodeTestSentence(encoder, sentence, i, sequences, labelIndex, FUNCTION_NAME));
  }
  const sets = resolved.sets ?? sampleDemonstrations(pool, { k, runs, seed });
  const decoder = new Decoder(model, resolved.layers);
  const total = sets.length * sentences.length;
  const progress = reportProgress(onProgress, decoder, FUNCTION_NAME, sets.length, sentences.length);
  const context: RunContext = {
    options: resolved,
    pool,
    sentences,
    tests,
    encoder,
    decoder,
    bos: tokenizer.startId,
    forms,
    sequences,
    labelIndex,
    progress,
  };
  onProgress?.({ status: 'start', task: FUNCTION_NAME, total, unit: 'sentence' });
  const results: IclRun[] = [];
  for (const set of sets) results.push(await runPrompting(context, set));
  onProgress?.({ status: 'end', task: FUNCTION_NAME, done: total, total, unit: 'sentence' });
  return {
    task: resolved.task,
    source: demonstrations.from,
    labels: [...labels],
    forms,
    labelForm: resolved.labelForm,
    labelSet: resolved.labelSet,
    scoring: resolved.scoring,
    teacherForcing: resolved.teacherForcing,
    seed,
    maxPositions: resolved.maxPositions,
    layers: resolved.layers,
    runs: results,
    accuracy: summarizeAccuracy(results.map((run) => run.accuracy)),
    baselines: pool.length > 0 ? majorityBaselines(pool, sentences) : null,
    forwardPasses: decoder.passes,
    tokens: decoder.tokens,
    warnings,
  };
}
