import type { InstanceSet } from '@xling/meta';
import type { Substitution } from '@xling/ud';
import type { ExperimentTask } from './experiment-config.js';
import type { ExperimentLanguage } from './experiment-languages.js';

/** One split of a language as the study uses it (an extracted treebank split, or synthetic data). */
export interface StudySplit {
  treebank: string;
  split: 'train' | 'dev' | 'test';
  /** Sentences with representations. */
  stored: number;
}

/** A language of the study with its fitting, dev and test splits (where it has them). */
export interface StudyLanguage {
  language: ExperimentLanguage;
  fit?: StudySplit;
  dev?: StudySplit;
  test?: StudySplit;
}

/** The labelled instances of a split at a layer for a task (undefined for a missing split). */
export type InstanceSource = (
  split: StudySplit | undefined,
  language: string,
  layer: number,
  task: ExperimentTask,
) => Promise<InstanceSet> | undefined;

/**
 * Everything the analysis stages need once representations exist: the languages in their roles,
 * their instances, and what the report says about the model. `runExperiment` builds it from a
 * model and UD treebanks; `runStudy` takes it from any source (synthetic languages in the
 * known-answer tests, vectors a user computed elsewhere).
 */
export interface StudyData {
  languages: StudyLanguage[];
  instances: InstanceSource;
  model: { name: string; hiddenSize?: number; layers?: number };
  pooling: string;
  /** Departures from the UD release the report must declare. */
  substitutions: Substitution[];
  /** Problems met while resolving the data, for the report. */
  warnings: string[];
}
