import { basename, join, resolve } from 'node:path';
import { type ProgressCallback, XlingError } from '@xling/core';
import { GenerationModel, executionProvidersFor, modelFingerprint } from '@xling/extract';
import type { IclSection } from '../report/experiment-result.js';
import { type StageFolder, cachedFolder } from './cached-stage.js';
import { shortHash } from './config-hash.js';
import type { ExperimentConfig, IclConfig } from './experiment-config.js';
import type { ExperimentLanguage } from './experiment-languages.js';
import { iclAccuracy } from './icl-accuracy.js';
import { iclConcepts } from './icl-concepts.js';
import type { IclContext } from './icl-context.js';
import { iclRoles, readIclLanguages } from './icl-languages.js';
import { iclRelation } from './icl-relation.js';
import { iclStates } from './icl-states.js';
import { iclUnitIds } from './icl-units.js';
import type { Shard } from './extraction-units.js';
import { ALL_UNITS, StageUnits, type UnitMode } from './stage-units.js';

/** Inputs of {@link iclStage}. */
export interface IclStageInput {
  /** A config with an `icl` section. */
  config: ExperimentConfig;
  /** The run's languages in their roles (`resolveExperimentLanguages`). */
  languages: ExperimentLanguage[];
  /** onnxruntime threads of the concept probes. */
  threads: number;
  /** Test sentences per saved unit of a prompting run. @defaultValue {@link ICL_BATCH_SENTENCES} */
  batchSentences?: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * Test sentences per saved unit of a prompting run: small enough that a killed stage loses
 * little, large enough that the demonstration prefix (run once per unit) stays a small cost.
 */
export const ICL_BATCH_SENTENCES = 25;

/** The default ICL layer: about 7/12 of the decoder's depth, like the encoder default (7 of 12). */
export const defaultIclLayer = (numLayers: number) => Math.round((numLayers * 7) / 12);

/** The ICL section with its layers resolved against the decoder. */
function resolveLayers(icl: IclConfig, numLayers: number): IclConfig & { layers: number[] } {
  const layers = icl.layers ?? [defaultIclLayer(numLayers)];
  const bad = layers.find((layer) => layer > numLayers);
  if (bad !== undefined)
    throw new XlingError(
      'XLING_CONFIG',
      `Config key 'icl.layers' asks for layer ${bad}, but the decoder '${icl.model}' has hidden states 0..${numLayers}.`,
    );
  return { ...icl, layers };
}

/**
 * The ICL stage's folder, `<outDir>/stages/icl/<key>`: the key is made of what the stage reads —
 * the decoder's fingerprint, the languages' treebanks in their roles, the icl section and the
 * settings of the pools, probes, meta-learning and bootstrap it uses, and the seed.
 */
function iclFolder(
  config: ExperimentConfig,
  icl: IclConfig,
  fingerprint: string,
  roles: ReturnType<typeof iclRoles>,
): StageFolder {
  const { maxFitSentences, probe, meta, bootstrap, seed } = config;
  const name = (l: ExperimentLanguage) => `${l.language}:${l.treebank.name}`;
  const inputs = {
    stage: 'icl',
    decoder: fingerprint,
    languages: { source: name(roles.source), meta: roles.meta.map(name), targets: roles.targets.map(name) },
    fields: { icl: { ...icl, model: undefined }, maxFitSentences, probe, meta, bootstrap, seed },
  };
  const key = shortHash(inputs);
  return { stage: 'icl', key, dir: join(resolve(config.outDir), 'stages', 'icl', key), inputs };
}

/**
 * The in-context learning stage (docs/method.md section 7): loads the decoder, then per target
 * language and task the structured-prompting accuracy for each demonstration source with the
 * majority baselines; the tag-position states with gold tags fed back for the source, the ICL
 * meta-training languages and the targets; those states as concepts (probes, the meta-learned
 * map, nearest source prototype); and ICL accuracy against alignability with the source. Cached
 * in its stage folder and resumable per (task, language, demonstration source, run) and per
 * states split.
 *
 * @throws XLING_CONFIG for layers the decoder lacks or ICL meta-training languages not in the run;
 * XLING_MODEL_FOLDER for a decoder folder without a generation graph; XLING_BACKEND_UNAVAILABLE
 * for a `device` this onnxruntime-node cannot use; XLING_ABORTED.
 */
export async function iclStage(input: IclStageInput): Promise<{ section: IclSection; folder: StageFolder }> {
  const { section, folder } = await runIclStage(input, ALL_UNITS);
  return { section: section!, folder };
}

/**
 * Shard `shard` of the ICL stage (`--shard i/N`): only its prompting runs and states splits
 * (icl-units.ts); the unsharded stage that follows reads them and computes the rest.
 */
export async function iclStageShard(input: IclStageInput, shard: Shard): Promise<{ folder: StageFolder }> {
  return { folder: (await runIclStage(input, { kind: 'shard', shard })).folder };
}

async function runIclStage(
  input: IclStageInput,
  mode: UnitMode,
): Promise<{ section?: IclSection; folder: StageFolder }> {
  const { config, languages, onProgress, signal } = input;
  const roles = iclRoles(config, languages);
  onProgress?.({ status: 'start', task: 'experiment', label: 'loading the decoder' });
  // The session's creation checks that the device's providers are installed (a coded error).
  const model = await GenerationModel.load(resolve(config.icl!.model), {
    intraOpNumThreads: config.threads,
    executionProviders: executionProvidersFor(config.device),
  });
  try {
    const icl = resolveLayers(config.icl!, model.numLayers);
    const fingerprint = await modelFingerprint(model.folder);
    const folder = iclFolder(config, icl, fingerprint, roles);
    const resolved = { ...config, icl };
    const batchSentences = input.batchSentences ?? ICL_BATCH_SENTENCES;
    const section = await cachedFolder(folder, onProgress, async () => {
      const data = await readIclLanguages(resolved, roles, signal);
      const units = new StageUnits('icl', iclUnitIds(icl, data), mode);
      const context: IclContext = {
        model,
        config: resolved,
        icl,
        dir: folder.dir,
        batchSentences,
        units,
        onProgress,
        signal,
      };
      const accuracy = await iclAccuracy(context, data);
      const states = await iclStates(context, data, icl.layers);
      if (!units.assembles) return undefined;
      const concepts = await iclConcepts({
        ...input,
        ...roles,
        config: resolved,
        dir: folder.dir,
        states,
        layers: icl.layers,
      });
      const targets = roles.targets.map((t) => t.language);
      const relation = iclRelation(resolved, roles.source.language, targets, states, accuracy);
      return { accuracy, concepts, relation };
    });
    if (!section) return { folder };
    return {
      folder,
      section: {
        model: { name: basename(resolve(icl.model)), fingerprint, layers: model.numLayers },
        ...{ layers: icl.layers, k: icl.k, runs: icl.runs, scoring: icl.scoring, labelForm: icl.labelForm },
        ...{ labelSet: icl.labelSet, maxSentences: icl.maxSentences },
        metaLanguages: roles.meta.map((l) => l.language),
        ...section,
      },
    };
  } finally {
    await model.dispose();
  }
}
