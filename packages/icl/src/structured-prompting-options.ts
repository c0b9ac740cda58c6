import {
  DEPREL_LABELS,
  InvalidArgumentError,
  type ProgressCallback,
  UPOS_LABELS,
  checkOptions,
} from '@xling/core';
import type { GenerationModel } from '@xling/extract';
import { LABEL_FORMS, type LabelForm } from './labels/label-forms.js';
import { SCORINGS, type Scoring } from './decode/score-labels.js';
import { type IclTask, type TaggedSentence, checkTaggedSentences } from './tagged-sentence.js';

/**
 * Where the demonstrations come from (MEGA's settings): another language's sentences ('source',
 * cross-lingual prompting), the test language's own ('target', monolingual prompting), or none
 * (k = 0).
 */
export type DemonstrationPool =
  | { from: 'source' | 'target'; sentences: readonly TaggedSentence[] }
  | { from: 'none' };

/** Options of {@link structuredPrompting}. */
export interface StructuredPromptingOptions {
  /** @defaultValue `'upos'` */
  task?: IclTask;
  /** Demonstrations per prompt (0 with `from: 'none'`). @defaultValue `10` */
  k?: number;
  /** Runs, each with its own demonstration set (1 with `from: 'none'`). @defaultValue `5` */
  runs?: number;
  /** Seeds the demonstration sets and the 'shuffled' label form. @defaultValue `0` */
  seed?: number;
  /** Explicit demonstration sets (indices into the pool), one per run; replaces k, runs and sampling. */
  demonstrationSets?: readonly (readonly number[])[];
  /** How labels are written in the prompt. @defaultValue `'strings'` */
  labelForm?: LabelForm;
  /** Candidate labels: all of the task, or those the run's demonstrations show. @defaultValue `'all'` */
  labelSet?: 'all' | 'seen';
  /** Mean (Blevins et al.) or sum (MEGA) of the label tokens' log-probabilities. @defaultValue `'mean'` */
  scoring?: Scoring;
  /** Feed the gold label back instead of the predicted one. @defaultValue `false` */
  teacherForcing?: boolean;
  /** `hidden_states` indices (0 = embeddings … numLayers) returned at each tag position. @defaultValue `[]` */
  layers?: readonly number[];
  /** Positions the prompt may take. @defaultValue the model folder's `maxLength` (config `max_position_embeddings`) */
  maxPositions?: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** The options with their defaults, checked. */
export interface ResolvedOptions {
  task: IclTask;
  labels: readonly string[];
  sets: number[][] | null;
  k: number;
  runs: number;
  seed: number;
  labelForm: LabelForm;
  labelSet: 'all' | 'seen';
  scoring: Scoring;
  teacherForcing: boolean;
  layers: number[];
  maxPositions: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export const FUNCTION_NAME = 'structuredPrompting';

const CONSTRAINTS = {
  task: { type: 'enum', values: ['upos', 'deprel'], optional: true },
  k: { type: 'integer', min: 0, optional: true },
  runs: { type: 'integer', min: 1, optional: true },
  seed: { type: 'integer', optional: true },
  labelForm: { type: 'enum', values: LABEL_FORMS, optional: true },
  labelSet: { type: 'enum', values: ['all', 'seen'], optional: true },
  scoring: { type: 'enum', values: SCORINGS, optional: true },
  teacherForcing: { type: 'boolean', optional: true },
  maxPositions: { type: 'integer', min: 1, optional: true },
  onProgress: { type: 'function', optional: true },
  signal: { type: 'object', optional: true },
} as const;

function integerList(value: unknown, argument: string, max: number): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && v >= 0 && v <= max)) {
    throw new InvalidArgumentError(
      argument,
      FUNCTION_NAME,
      `must be an array of integers from 0 to ${max}, but got ${JSON.stringify(value)}.`,
    );
  }
  return [...value];
}

function fail(argument: string, problem: string): never {
  throw new InvalidArgumentError(argument, FUNCTION_NAME, problem);
}

/** The pool's sentences, checked (none for `{ from: 'none' }`). */
function checkPool(pool: DemonstrationPool, labels: readonly string[]): readonly TaggedSentence[] {
  const from = (pool as { from?: unknown } | undefined)?.from;
  if (from !== 'source' && from !== 'target' && from !== 'none') {
    fail(
      'demonstrations',
      `must be { from: 'source' | 'target', sentences } or { from: 'none' }, but got ${JSON.stringify(from)} as 'from'.`,
    );
  }
  const sentences = pool.from === 'none' ? [] : pool.sentences;
  checkTaggedSentences(sentences, new Set(labels), 'demonstrations.sentences', FUNCTION_NAME);
  return sentences;
}

/** Explicit demonstration sets, checked against the pool size. */
function checkSets(sets: unknown, poolSize: number): number[][] {
  if (!Array.isArray(sets)) {
    fail('options.demonstrationSets', `must be an array of index arrays, but got ${typeof sets}.`);
  }
  if (sets.length === 0) fail('options.demonstrationSets', 'must hold at least one set, but got none.');
  return sets.map((set, r) => integerList(set, `options.demonstrationSets[${r}]`, poolSize - 1));
}

/** Checks the pool and options against the model and fills in the defaults. */
export function resolveOptions(
  model: GenerationModel,
  pool: DemonstrationPool,
  options: StructuredPromptingOptions,
): ResolvedOptions {
  const { layers = [], demonstrationSets, ...rest } = options;
  checkOptions(rest, CONSTRAINTS, FUNCTION_NAME);
  const { task = 'upos', k = 10, runs = 5, seed = 0, labelSet = 'all' } = rest;
  const labels = task === 'upos' ? UPOS_LABELS : DEPREL_LABELS;
  const poolSize = checkPool(pool, labels).length;
  const none = pool.from === 'none';
  const sets = demonstrationSets === undefined || none ? null : checkSets(demonstrationSets, poolSize);
  if (none && labelSet === 'seen') fail('options.labelSet', "cannot be 'seen' without demonstrations.");
  const checkedLayers = integerList(layers, 'options.layers', model.numLayers);
  if (checkedLayers.length > 0 && !model.hasHiddenStates) {
    fail('options.layers', 'needs a generation graph with hidden-state outputs, but this model has none.');
  }
  return {
    ...rest,
    ...{ task, labels, sets, seed, labelSet, layers: checkedLayers },
    k: none ? 0 : k,
    runs: none ? 1 : (sets?.length ?? runs),
    labelForm: rest.labelForm ?? 'strings',
    scoring: rest.scoring ?? 'mean',
    teacherForcing: rest.teacherForcing ?? false,
    maxPositions: rest.maxPositions ?? model.folder.maxLength,
  };
}
