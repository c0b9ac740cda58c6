import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ProgressCallback, writeFileAtomic } from '@xling/core';
import { LanguageAdapterProtoNet, MetaProtoNet } from '@xling/meta';
import type {
  ConfusionSummary,
  FewShotCurve,
  LearningCurve,
  ZeroShotScore,
} from '../report/experiment-result.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import { metaSplits } from './meta-splits.js';
import { type ProbeTable, probeOptions } from './probe-stage.js';
import { type RunLayout, learnerDirs, scoresFile } from './run-layout.js';
import { type FewShotUnit, runFewShot } from './run-few-shot.js';
import { runZeroShot } from './run-zero-shot.js';
import { ALL_UNITS, StageUnits, type UnitMode } from './stage-units.js';
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

/** The unit id of a task's learner, learner first (see {@link trainLearners} on why). */
const learnerUnit = (task: ExperimentTask, name: 'meta' | 'few-shot') => `${name}/${task}`;

/**
 * Meta-training at the main layer, per task: the zero-shot map and, when the config draws
 * few-shot curves, the language-adapter learner, each saved in the meta stage folder (a killed
 * run resumes from its checkpoint). Each learner is a unit: a shard trains its share and returns
 * no learners.
 */
export async function trainLearners(
  input: MetaStageInput,
  mode: UnitMode = ALL_UNITS,
): Promise<{ learners: TaskLearners[]; learningCurves: LearningCurve[] }> {
  const { config } = input;
  const layer = config.layers[0];
  const names: Array<'meta' | 'few-shot'> = config.fewShot.shots.length > 0 ? ['meta', 'few-shot'] : ['meta'];
  // Ids `<learner>/<task>`: shards take sorted ids round-robin, so with two shards each gets one
  // learner of each kind (few-shot/deprel + meta/deprel, few-shot/upos + meta/upos). With ids
  // task first, one shard got both few-shot learners, which cost more than the zero-shot maps
  // (demo run 5d7bb5f36f4a: few-shot 35 / 54 s, meta 18 / 24 s for upos / deprel): the shards
  // took 1m02 / 1m37 that way, 1m06 / 1m31 this way.
  const units = new StageUnits(
    'meta',
    config.tasks.flatMap((task) => names.map((name) => learnerUnit(task, name))),
    mode,
  );
  const learners: TaskLearners[] = [];
  const learningCurves: LearningCurve[] = [];
  for (const task of config.tasks) {
    const meta = await trained(input, units, task, 'meta', (o) => new MetaProtoNet(o), MetaProtoNet.load);
    const fewShot = names.includes('few-shot')
      ? await trained(
          input,
          units,
          task,
          'few-shot',
          (o) => new LanguageAdapterProtoNet(o),
          LanguageAdapterProtoNet.load,
        )
      : undefined;
    if (!units.assembles || !meta) continue;
    learningCurves.push(learningCurve(task, layer, 'meta', meta));
    if (fewShot) learningCurves.push(learningCurve(task, layer, 'few-shot', fewShot));
    learners.push({ task, meta, ...(fewShot ? { fewShot } : {}) });
  }
  return { learners, learningCurves };
}

/**
 * Every zero-shot method on every target, per task, cached in the zero-shot stage folder; a
 * task's scores are a unit (a shard returns only its own).
 */
export async function zeroShotStage(
  input: MetaStageInput,
  learners: TaskLearners[],
  mode: UnitMode = ALL_UNITS,
): Promise<{ zeroShot: ZeroShotScore[]; confusion: ConfusionSummary[] }> {
  const units = new StageUnits(
    'zero-shot',
    learners.map((l) => l.task),
    mode,
  );
  const out = { zeroShot: [] as ZeroShotScore[], confusion: [] as ConfusionSummary[] };
  for (const { task, meta } of learners) {
    const scored = await zeroShotScores(input, units, task, meta);
    out.zeroShot.push(...(scored?.scores ?? []));
    out.confusion.push(...(scored?.confusion ?? []));
  }
  return out;
}

/**
 * Few-shot curves on the targets, per task, cached in the few-shot stage folder; each task,
 * target and seed is a unit saved as `<task>-L<layer>/<language>/seed-<s>.json` (a shard
 * computes its share and returns no curves).
 */
export async function fewShotStage(
  input: MetaStageInput,
  learners: TaskLearners[],
  mode: UnitMode = ALL_UNITS,
): Promise<FewShotCurve[]> {
  const { config, targets } = input;
  const ids = learners.flatMap(({ task }) =>
    targets
      .filter((t) => t.fit)
      .flatMap((t) => config.fewShot.seeds.map((s) => fewShotUnitId(task, t.language.language, s))),
  );
  const units = new StageUnits('few-shot', ids, mode);
  const out: FewShotCurve[] = [];
  for (const { task, fewShot } of learners)
    if (fewShot) out.push(...(await fewShotCurves(input, units, task, fewShot)));
  return out;
}

const fewShotUnitId = (task: ExperimentTask, language: string, seed: number) =>
  `${task}/${language}/seed-${seed}`;

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
  units: StageUnits,
  task: ExperimentTask,
  name: 'meta' | 'few-shot',
  create: (options: ConstructorParameters<typeof MetaProtoNet>[0]) => T,
  load: (folder: string) => Promise<T>,
): Promise<T | undefined> {
  const { layout, config, onProgress, signal } = input;
  const dirs = learnerDirs(layout, name, task, config.layers[0]);
  return units.unit(learnerUnit(task, name), {
    ready: () => existsSync(join(dirs.model, 'config.json')),
    load: () => load(dirs.model),
    compute: async () => {
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
      await net.fit(await fitData(input, task), { onProgress, signal, checkpointDir: dirs.checkpoint });
      await net.save(dirs.model);
      return net;
    },
  });
}

async function zeroShotScores(
  input: MetaStageInput,
  units: StageUnits,
  task: ExperimentTask,
  meta: MetaProtoNet,
) {
  const { layout, config, instances, probes, source, targets } = input;
  const layer = config.layers[0];
  const id = `${task}/${layer}`;
  const sourceLanguage = source.language.language;
  input.onProgress?.({ status: 'start', task: 'experiment', label: `zero-shot scores (${task})` });
  return units.json(task, scoresFile(layout, 'zero-shot', task, layer), async () => {
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

async function fewShotCurves(
  input: MetaStageInput,
  units: StageUnits,
  task: ExperimentTask,
  net: LanguageAdapterProtoNet,
): Promise<FewShotCurve[]> {
  const { layout, config, instances, targets, threads } = input;
  const layer = config.layers[0];
  const file = scoresFile(layout, 'few-shot', task, layer);
  if (units.assembles && existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as FewShotCurve[];
  input.onProgress?.({ status: 'start', task: 'experiment', label: `few-shot curves (${task})` });
  const unitsDir = file.replace(/\.json$/, '');
  const unit: FewShotUnit = (target, seed, compute) => {
    const id = fewShotUnitId(task, target.language, seed);
    return units.json(id, join(unitsDir, target.language, `seed-${seed}.json`), compute);
  };
  const curves = await runFewShot(
    {
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
    },
    unit,
  );
  if (units.assembles) await writeFileAtomic(file, `${JSON.stringify(curves)}\n`);
  return curves;
}
