import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgressCallback } from '@xling/core';
import { LanguageAdapterProtoNet, MetaProtoNet } from '@xling/meta';
import type {
  ConfusionSummary,
  FewShotCurve,
  LearningCurve,
  ZeroShotScore,
} from '../report/experiment-result.js';
import { cachedJson } from './cached-json.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import { metaSplits } from './meta-splits.js';
import { type ProbeTable, probeOptions } from './probe-stage.js';
import { type RunLayout, learnerDirs, scoresFile } from './run-layout.js';
import { runFewShot } from './run-few-shot.js';
import { runZeroShot } from './run-zero-shot.js';
import type { InstanceSource, StudyLanguage } from './study-data.js';

/** Inputs of the meta-learning stages. */
export interface MetaStageInput {
  layout: RunLayout;
  config: ExperimentConfig;
  languages: StudyLanguage[];
  instances: InstanceSource;
  probes: ProbeTable;
  source: StudyLanguage;
  targets: StudyLanguage[];
  /** onnxruntime threads of the few-shot baseline probes. */
  threads: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** A task's trained learners at the main layer (the few-shot one when the config draws curves). */
export interface TaskLearners {
  task: ExperimentTask;
  meta: MetaProtoNet;
  fewShot?: LanguageAdapterProtoNet;
}

type Learner = MetaProtoNet | LanguageAdapterProtoNet;

function learningCurve(task: ExperimentTask, layer: number, learner: string, net: Learner): LearningCurve {
  return {
    task,
    layer,
    learner,
    points: net.history.map((e) => ({
      epoch: e.epoch,
      loss: e.loss,
      validationAccuracy: Number.isFinite(e.validationAccuracy) ? e.validationAccuracy : null,
    })),
    bestEpoch: net.bestEpoch,
    converged: net.converged,
  };
}

/**
 * Meta-training at the main layer, per task: the zero-shot map and, when the config draws
 * few-shot curves, the language-adapter learner, each saved in the meta stage folder (a killed
 * run resumes from its checkpoint).
 */
export async function trainLearners(
  input: MetaStageInput,
): Promise<{ learners: TaskLearners[]; learningCurves: LearningCurve[] }> {
  const { config } = input;
  const layer = config.layers[0];
  const learners: TaskLearners[] = [];
  const learningCurves: LearningCurve[] = [];
  for (const task of config.tasks) {
    const meta = await trained(input, task, 'meta', (o) => new MetaProtoNet(o), MetaProtoNet.load);
    learningCurves.push(learningCurve(task, layer, 'meta', meta));
    if (config.fewShot.shots.length === 0) {
      learners.push({ task, meta });
      continue;
    }
    const fewShot = await trained(
      input,
      task,
      'few-shot',
      (o) => new LanguageAdapterProtoNet(o),
      LanguageAdapterProtoNet.load,
    );
    learningCurves.push(learningCurve(task, layer, 'few-shot', fewShot));
    learners.push({ task, meta, fewShot });
  }
  return { learners, learningCurves };
}

/** Every zero-shot method on every target, per task, cached in the zero-shot stage folder. */
export async function zeroShotStage(
  input: MetaStageInput,
  learners: TaskLearners[],
): Promise<{ zeroShot: ZeroShotScore[]; confusion: ConfusionSummary[] }> {
  const out = { zeroShot: [] as ZeroShotScore[], confusion: [] as ConfusionSummary[] };
  for (const { task, meta } of learners) {
    const scored = await zeroShotScores(input, task, meta);
    out.zeroShot.push(...scored.scores);
    out.confusion.push(...scored.confusion);
  }
  return out;
}

/** Few-shot curves on the targets, per task, cached in the few-shot stage folder. */
export async function fewShotStage(input: MetaStageInput, learners: TaskLearners[]): Promise<FewShotCurve[]> {
  const out: FewShotCurve[] = [];
  for (const { task, fewShot } of learners)
    if (fewShot) out.push(...(await fewShotCurves(input, task, fewShot)));
  return out;
}

async function fitData(input: MetaStageInput, task: ExperimentTask) {
  const { config, languages, instances, probes, source } = input;
  const layer = config.layers[0];
  const inputs = await Promise.all(
    languages
      .filter((s) => s.fit && (s.language.roles.includes('meta') || s.language.roles.includes('validation')))
      .map(async (s) => {
        const dev = await instances(s.dev, s.language.language, layer, task);
        return {
          language: s.language.language,
          fit: (await instances(s.fit, s.language.language, layer, task))!,
          ...(dev ? { dev } : {}),
          meta: s.language.roles.includes('meta'),
          validation: s.language.roles.includes('validation'),
        };
      }),
  );
  const { training, validation } = metaSplits(inputs, config.seed);
  return {
    source: {
      ...probes[`${task}/${layer}`][source.language.language].prototypeSet,
      language: source.language.language,
    },
    languages: training,
    validation,
    targets: input.targets.map((t) => t.language.language),
  };
}

async function trained<T extends Learner>(
  input: MetaStageInput,
  task: ExperimentTask,
  name: 'meta' | 'few-shot',
  create: (options: ConstructorParameters<typeof MetaProtoNet>[0]) => T,
  load: (folder: string) => Promise<T>,
): Promise<T> {
  const { layout, config, onProgress, signal } = input;
  const dirs = learnerDirs(layout, name, task, config.layers[0]);
  if (existsSync(join(dirs.model, 'config.json'))) return load(dirs.model);
  onProgress?.({ status: 'start', task: 'experiment', label: `meta-training ${name} (${task})` });
  const m = config.meta;
  const net = create({
    epochs: m.epochs,
    patience: m.patience,
    tolerance: m.tolerance,
    episodesPerLanguage: m.episodesPerLanguage,
    querySize: m.querySize,
    learningRate: m.learningRate,
    minCount: m.minCount,
    seed: config.seed,
  });
  await net.fit(await fitData(input, task), {
    onProgress,
    signal,
    checkpointDir: dirs.checkpoint,
  });
  await net.save(dirs.model);
  return net;
}

async function zeroShotScores(input: MetaStageInput, task: ExperimentTask, meta: MetaProtoNet) {
  const { layout, config, instances, probes, source, targets } = input;
  const layer = config.layers[0];
  const id = `${task}/${layer}`;
  const sourceLanguage = source.language.language;
  input.onProgress?.({ status: 'start', task: 'experiment', label: `zero-shot scores (${task})` });
  return cachedJson(scoresFile(layout, 'zero-shot', task, layer), async () => {
    const sourceDev = await instances(source.dev, sourceLanguage, layer, task);
    return runZeroShot({
      task,
      layer,
      sourceProbe: probes[id][sourceLanguage],
      sourceFit: (await instances(source.fit, sourceLanguage, layer, task))!,
      ...(sourceDev ? { sourceDev } : {}),
      seed: config.seed,
      meta,
      targets: await Promise.all(
        targets.map(async (t) => ({
          language: t.language.language,
          treebank: t.language.treebank.name,
          test: (await instances(t.test, t.language.language, layer, task))!,
          ...(probes[id][t.language.language] ? { probe: probes[id][t.language.language] } : {}),
        })),
      ),
      scoring: { resamples: config.bootstrap.resamples, alpha: config.bootstrap.alpha, seed: config.seed },
    });
  });
}

async function fewShotCurves(input: MetaStageInput, task: ExperimentTask, net: LanguageAdapterProtoNet) {
  const { layout, config, instances, targets, threads } = input;
  const layer = config.layers[0];
  input.onProgress?.({ status: 'start', task: 'experiment', label: `few-shot curves (${task})` });
  return cachedJson(scoresFile(layout, 'few-shot', task, layer), async () =>
    runFewShot({
      task,
      layer,
      net,
      targets: await Promise.all(
        targets
          .filter((t) => t.fit)
          .map(async (t) => ({
            language: t.language.language,
            fit: (await instances(t.fit, t.language.language, layer, task))!,
            test: (await instances(t.test, t.language.language, layer, task))!,
          })),
      ),
      shots: config.fewShot.shots,
      seeds: config.fewShot.seeds,
      ...(config.fewShot.epochs ? { epochs: config.fewShot.epochs } : {}),
      probe: probeOptions(config, task, threads),
      seed: config.seed,
    }),
  );
}
