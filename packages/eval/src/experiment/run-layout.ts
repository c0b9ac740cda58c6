import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@xling/core';
import { configHash, shortHash } from './config-hash.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';

// The folders of an experiment under its `outDir`, all named here:
//
//   store/                         representations (RepresentationStore: keyed by model, layer,
//                                  pooling, treebank and split sample, so extraction needs no key)
//   store-units/<unit>/            a sharded extraction's stores, one per unit (extraction-units.ts);
//                                  the next unsharded run moves their entries into store/
//   store-units/done/<unit>.json   the store keys of a unit that a shard finished
//   stages/<stage>/<stage key>/    a cached stage's outputs and stage.json (what its key is made
//                                  of); the key is made only of what the stage reads
//                                  (STAGE_INPUTS), so changing the alignability settings finds the
//                                  probes and meta-learners of the last run
//     probes/<key>/                <task>-L<layer>[-control|-control-task]/<treebank>/ (a probe),
//                                  summaries/<task>-L<layer>/<treebank>.json
//     alignability/<key>/          <task>-L<layer>.<prototypes>.json
//     meta/<key>/                  meta/ and few-shot/<task>-L<layer>/{model,checkpoint}/
//     zero-shot/<key>/, few-shot/<key>/   <task>-L<layer>.json
//     icl/<key>/                   accuracy/<task>/<language>/<from>/run-<r>.json,
//                                  states/<task>/<language>.<fit|test>.{f32,json}, concepts/
//                                  (probes, learners, scores of the ICL states); its key holds the
//                                  decoder's fingerprint (icl-stage.ts)
//   runs/<config hash>/            report.json, report.md, report.html, and stages.json naming the
//                                  stage folder each stage of this run used

/** The cached stages, each after the ones it reads. */
export const CACHED_STAGES = ['probes', 'alignability', 'meta', 'zero-shot', 'few-shot'] as const;

/** A cached stage: `meta` trains the learners, `zero-shot` and `few-shot` score them. */
export type CachedStage = (typeof CACHED_STAGES)[number];

/** The study's languages in their roles (the UD folder they come from feeds no key, like udDir). */
const LANGUAGES = [
  'sourceLanguage',
  'metaLanguages',
  'validationLanguages',
  'targetLanguages',
  'lowResourceTreebanks',
];

/** How a treebank's instances are made: its seeded split samples, extracted and pooled. */
const DATA = ['model', 'modelName', 'pooling', 'overflow', 'maxFitSentences', 'maxTestSentences', 'seed'];

/** What a stage reads: config fields (a dotted path for one member of a section) and stages. */
export interface StageReads {
  fields: readonly string[];
  /** Stages whose outputs it reads: their keys enter its own, so it inherits their fields. */
  after: readonly CachedStage[];
  /**
   * How the stage computes, where that changed its numbers (so caches of the old way are not
   * mixed with new units): enters the key beside the fields.
   */
  method?: Readonly<Record<string, string>>;
}

/** Learners' test sets are embedded by phi in float32 onnxruntime (`embedAsync`), not float64 JS. */
const SCORING = { phi: 'float32-onnxruntime' } as const;

/**
 * What each stage reads. Every output is stored per task and layer, so `tasks` and `layers` feed
 * no key: they choose the outputs a run needs, not what an output holds ({@link UNKEYED_FIELDS}).
 */
export const STAGE_INPUTS: Record<CachedStage, StageReads> = {
  // A probe per task, layer, variant and treebank (not per study: a treebank's probe is the same
  // in every study): the treebank's instances and the probe's training settings.
  probes: { fields: [...DATA, 'probe'], after: [] },
  // All pairs of the study's languages, from class means of the same instances or from the probes
  // (and a note with the other kind); meta.minCount drops rare labels from a pair.
  alignability: { fields: [...LANGUAGES, 'alignability', 'meta.minCount', 'seed'], after: ['probes'] },
  // The learners, trained on the meta-training languages onto the source probe's prototypes.
  meta: { fields: [...LANGUAGES, 'meta', 'seed'], after: ['probes'] },
  // Every method on the targets (their probes and the trained map), with bootstrap intervals.
  'zero-shot': { fields: ['bootstrap', 'seed'], after: ['meta'], method: SCORING },
  // Adapters and support-only probes (the probe settings) on the targets' fitting splits.
  // Adapters are fitted on the learner's engine too (`adaptAsync`: float32 onnxruntime steps).
  'few-shot': {
    fields: ['fewShot', 'probe', 'seed'],
    after: ['meta'],
    method: { ...SCORING, adapter: 'float32-onnxruntime' },
  },
};

/**
 * Config fields that feed no stage key: `tasks` and `layers` (outputs are stored per task and
 * layer), `title` (the report is written on every run), `outDir`, `udDir`, `threads`, `workers`, `slurm`
 * and `device` (they do not change results; config-hash.ts says why for `device`). The report depends on everything: its folder is named by the config hash.
 */
export const UNKEYED_FIELDS = [
  'tasks',
  'layers',
  'title',
  'outDir',
  'udDir',
  'threads',
  'workers',
  'slurm',
  'device',
] as const;

/** The folders of one experiment run. */
export interface RunLayout {
  /** `<outDir>/store`: the representations. */
  storeDir: string;
  /** `<outDir>/store-units`: per-unit stores of a sharded extraction (`--shard i/N`). */
  unitsDir: string;
  /** `<outDir>/splits`: what later processes need of each stored split (split-cache.ts). */
  splitsDir: string;
  /** `<outDir>/runs/<config hash>`: the report and stages.json. */
  runDir: string;
  /** The key of each cached stage. */
  keys: Record<CachedStage, string>;
  /** `<outDir>/stages/<stage>/<key>`: each cached stage's outputs. */
  dirs: Record<CachedStage, string>;
  /** What each key was made from: the stage's config fields and the keys of the stages it reads. */
  inputs: Record<CachedStage, StageKeyInputs>;
}

/** The values a stage key is the hash of (written to the stage folder as stage.json). */
export interface StageKeyInputs {
  stage: CachedStage;
  fields: Record<string, unknown>;
  after: Partial<Record<CachedStage, string>>;
  method?: Readonly<Record<string, string>>;
}

function field(config: ExperimentConfig, path: string): unknown {
  return path.split('.').reduce<unknown>((value, k) => (value as Record<string, unknown>)?.[k], config);
}

/** The folders of `config`'s run; nothing is created. */
export function runLayout(config: ExperimentConfig): RunLayout {
  const outDir = resolve(config.outDir);
  const keys = {} as Record<CachedStage, string>;
  const dirs = {} as Record<CachedStage, string>;
  const inputs = {} as Record<CachedStage, StageKeyInputs>;
  for (const stage of CACHED_STAGES) {
    const { fields, after, method } = STAGE_INPUTS[stage];
    inputs[stage] = {
      stage,
      fields: Object.fromEntries(fields.map((f) => [f, field(config, f)])),
      after: Object.fromEntries(after.map((s) => [s, keys[s]])),
      ...(method ? { method } : {}),
    };
    keys[stage] = shortHash(inputs[stage]);
    dirs[stage] = join(outDir, 'stages', stage, keys[stage]);
  }
  return {
    storeDir: join(outDir, 'store'),
    unitsDir: join(outDir, 'store-units'),
    splitsDir: join(outDir, 'splits'),
    runDir: join(outDir, 'runs', configHash(config)),
    keys,
    dirs,
    inputs,
  };
}

/** Which probes a run fits besides the real ones. */
export type ProbeVariant = 'real' | 'random-label' | 'control-task';

const VARIANT_SUFFIX: Record<ProbeVariant, string> = {
  real: '',
  'random-label': '-control',
  'control-task': '-control-task',
};

/** `<probes>/<task>-L<layer>[-control|-control-task]/<treebank>/`: one saved LinearProbe. */
export function probeDir(
  layout: RunLayout,
  task: ExperimentTask,
  layer: number,
  variant: ProbeVariant,
  treebank: string,
): string {
  return join(layout.dirs.probes, `${task}-L${layer}${VARIANT_SUFFIX[variant]}`, treebank);
}

/** `<probes>/summaries/<task>-L<layer>/<treebank>.json`: a probe beside its baselines and controls. */
export function probeSummaryFile(layout: RunLayout, task: ExperimentTask, layer: number, treebank: string) {
  return join(layout.dirs.probes, 'summaries', `${task}-L${layer}`, `${treebank}.json`);
}

/** `<meta>/<learner>/<task>-L<layer>/`: the trained learner in `model/`, its training state in `checkpoint/`. */
export function learnerDirs(
  layout: RunLayout,
  learner: 'meta' | 'few-shot',
  task: ExperimentTask,
  layer: number,
): { model: string; checkpoint: string } {
  const dir = join(layout.dirs.meta, learner, `${task}-L${layer}`);
  return { model: join(dir, 'model'), checkpoint: join(dir, 'checkpoint') };
}

/** `<zero-shot | few-shot>/<task>-L<layer>.json`: the scores or curves of a task at the main layer. */
export function scoresFile(
  layout: RunLayout,
  stage: 'zero-shot' | 'few-shot',
  task: ExperimentTask,
  layer: number,
): string {
  return join(layout.dirs[stage], `${task}-L${layer}.json`);
}

/**
 * Writes `<runDir>/stages.json`: per stage its key and its folder relative to the run folder
 * (`../../stages/<stage>/<key>`), so scripts reading a run's probes find them from the run folder.
 * `extra` adds stages keyed outside this layout (the ICL stage, whose key holds the decoder's
 * fingerprint).
 */
export async function writeStagesFile(
  layout: RunLayout,
  extra: readonly { stage: string; key: string; dir: string }[] = [],
): Promise<void> {
  const folders = [
    ...CACHED_STAGES.map((s) => ({ stage: s, key: layout.keys[s], dir: layout.dirs[s] })),
    ...extra,
  ];
  const stages = Object.fromEntries(
    folders.map((f) => [f.stage, { key: f.key, dir: relative(layout.runDir, f.dir) }]),
  );
  await writeFileAtomic(join(layout.runDir, 'stages.json'), `${JSON.stringify(stages, null, 2)}\n`);
}
