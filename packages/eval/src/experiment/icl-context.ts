import type { ProgressCallback } from '@xling/core';
import type { GenerationModel } from '@xling/extract';
import {
  type IclTask,
  type StructuredPromptingOptions,
  type TaggedSentence,
  taggedSentences,
} from '@xling/icl';
import type { Sentence } from '@xling/ud';
import type { ExperimentConfig, IclConfig } from './experiment-config.js';
import type { StageUnits } from './stage-units.js';

/** What every unit of the ICL stage shares: the decoder, the settings and the stage folder. */
export interface IclContext {
  model: GenerationModel;
  config: ExperimentConfig;
  icl: IclConfig;
  /** The stage folder, `<outDir>/stages/icl/<key>`. */
  dir: string;
  /** Test sentences per saved unit of a run: a killed stage redoes at most this many. */
  batchSentences: number;
  /** The stage's units (icl-units.ts): a shard computes only its runs and states splits. */
  units: StageUnits;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * The prompting options of every call: the config's label form, label set and scoring, the
 * experiment's seed, and progress relayed under task `icl` with `label` (tokens/s and forward
 * passes per word come with each sentence).
 */
export function promptOptions(context: IclContext, task: IclTask, label: string): StructuredPromptingOptions {
  const { icl, config, onProgress, signal } = context;
  return {
    task,
    seed: config.seed,
    labelForm: icl.labelForm,
    labelSet: icl.labelSet,
    scoring: icl.scoring,
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress: (event) => onProgress({ ...event, task: 'icl', label }) } : {}),
  };
}

/** Memoised `taggedSentences`: each split is turned into tagged sentences once per task. */
export function tagger(): (sentences: Sentence[], task: IclTask) => TaggedSentence[] {
  const cache = new Map<Sentence[], Map<IclTask, TaggedSentence[]>>();
  return (sentences, task) => {
    const byTask = cache.get(sentences) ?? new Map<IclTask, TaggedSentence[]>();
    cache.set(sentences, byTask);
    if (!byTask.has(task)) byTask.set(task, taggedSentences(sentences, task));
    return byTask.get(task)!;
  };
}
