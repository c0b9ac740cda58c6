import { join } from 'node:path';
import type { ProgressCallback } from '@xling/core';
import type { ZeroShotScore } from '../report/experiment-result.js';
import type { ExperimentConfig, IclConfig } from './experiment-config.js';
import type { ExperimentLanguage, ExperimentRole } from './experiment-languages.js';
import { type IclStateTable, stateId } from './icl-states.js';
import { type MetaStageInput, trainLearners, zeroShotStage } from './meta-stage.js';
import { fitProbes } from './probe-stage.js';
import { type RunLayout, runLayout } from './run-layout.js';
import type { InstanceSource, StudyLanguage } from './study-data.js';

/** Fitting-state sentences a meta-training language needs (episodes: support + query). */
export const MIN_META_SENTENCES = 2;

/** Inputs of {@link iclConcepts}. */
export interface IclConceptsInput {
  config: ExperimentConfig;
  /** The ICL stage folder: probes, learners and scores go under `concepts/`. */
  dir: string;
  source: ExperimentLanguage;
  meta: ExperimentLanguage[];
  targets: ExperimentLanguage[];
  states: IclStateTable;
  /** The layers of the states (`icl.layers` order). */
  layers: number[];
  threads: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * The ICL states as concepts, through the encoder study's own stages on a study whose instances
 * are the states: per layer and task, a probe per language with fitting states (fitProbes), the
 * meta-learned map trained over the ICL meta-training languages onto the source probe's
 * prototypes (trainLearners, no validation languages: it trains for `meta.epochs`), and every
 * zero-shot method on the targets' test states (zeroShotStage): `source-probe` is the nearest
 * source prototype without a map, `meta` with the map, `in-language` the target's own probe.
 * Everything is saved under `<dir>/concepts/`, so a rerun loads it. Meta-training languages
 * with fewer than {@link MIN_META_SENTENCES} fitting states are left out of the map's training;
 * with none left, there are no concept rows.
 */
export async function iclConcepts(input: IclConceptsInput): Promise<ZeroShotScore[]> {
  const { config, states, layers } = input;
  const languages = studyLanguages(input);
  const instances: InstanceSource = (split, language, layer, task) => {
    const set = split && states.get(stateId(task, language, split.split === 'test' ? 'test' : 'fit'));
    return set ? Promise.resolve(set[layers.indexOf(layer)]) : undefined;
  };
  const source = languages[0];
  const targets = languages.filter((l) => l.test);
  const scores: ZeroShotScore[] = [];
  if (!languages.some((l) => l.language.roles.includes('meta'))) return scores;
  for (const layer of layers) {
    const study = studyConfig(config, layer);
    const layout = conceptLayout(study, input.dir);
    const shared = { config: study, languages, instances, layout, threads: input.threads };
    const { onProgress, signal } = input;
    const probes = await fitProbes({ ...shared, onProgress, signal });
    const meta: MetaStageInput = { ...shared, probes: probes.real, source, targets, onProgress, signal };
    const trained = await trainLearners(meta);
    scores.push(...(await zeroShotStage(meta, trained.learners)).zeroShot);
  }
  return scores;
}

/**
 * The config the encoder stages read, for the ICL states at `layer`: its tasks, that layer, class
 * means as prototypes (no probe-per-layer plan) and no few-shot learner; probe, meta and bootstrap
 * settings are the experiment's.
 */
function studyConfig(config: ExperimentConfig, layer: number): ExperimentConfig {
  const icl = config.icl as IclConfig;
  return {
    ...config,
    tasks: icl.tasks,
    layers: [layer],
    alignability: { ...config.alignability, prototypes: 'class-means' },
    fewShot: { ...config.fewShot, shots: [] },
  };
}

/** The run layout with the probes, learners and scores folders moved into the ICL stage folder. */
function conceptLayout(config: ExperimentConfig, dir: string): RunLayout {
  const layout = runLayout(config);
  const concepts = join(dir, 'concepts');
  return {
    ...layout,
    dirs: {
      ...layout.dirs,
      probes: join(concepts, 'probes'),
      meta: join(concepts, 'meta'),
      'zero-shot': join(concepts, 'zero-shot'),
    },
  };
}

/** The source first, then the meta-training languages and targets, each with the state splits it has. */
function studyLanguages(input: IclConceptsInput): StudyLanguage[] {
  const { source, meta, targets, states, config } = input;
  const task = (config.icl as IclConfig).tasks[0];
  const fitSentences = (l: ExperimentLanguage) =>
    (states.get(stateId(task, l.language, 'fit'))?.[0]?.sentenceOffsets?.length ?? 1) - 1;
  const roles = new Map<ExperimentLanguage, ExperimentRole[]>([[source, ['source']]]);
  // An episode needs a support and a query sentence: a language whose prompts left fewer
  // fitting states (most sentences longer than the decoder's context) cannot train the map.
  for (const l of meta.filter((m) => fitSentences(m) >= MIN_META_SENTENCES))
    roles.set(l, [...(roles.get(l) ?? []), 'meta']);
  for (const l of targets) roles.set(l, [...(roles.get(l) ?? []), 'target']);
  return [...roles].map(([language, own]) => {
    const treebank = language.treebank.name;
    const split = (s: 'fit' | 'test') => {
      const set = states.get(stateId(task, language.language, s))?.[0];
      const name = s === 'test' ? 'test' : (language.treebank.fitSplit ?? 'train');
      return set ? { [s]: { treebank, split: name, stored: (set.sentenceOffsets?.length ?? 1) - 1 } } : {};
    };
    return { language: { ...language, roles: own }, ...split('fit'), ...split('test') };
  });
}
