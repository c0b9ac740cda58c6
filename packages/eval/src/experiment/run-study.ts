import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { XlingError } from '@xling/core';
import type { ExperimentResult } from '../report/experiment-result.js';
import { writeReport } from '../report/write-report.js';
import { alignabilityStage } from './alignability-stage.js';
import { cachedStage } from './cached-stage.js';
import { configHash } from './config-hash.js';
import { iclStage, iclStageShard } from './icl-stage.js';
import type { ExperimentConfig } from './experiment-config.js';
import { type MetaStageInput, fewShotStage, trainLearners, zeroShotStage } from './meta-stage.js';
import { type ProbeTable, fitProbes } from './probe-stage.js';
import { probeSummaries } from './probe-summaries.js';
import type { Shard } from './extraction-units.js';
import type { ExperimentRun, ExperimentStage, RunExperimentOptions } from './run-experiment.js';
import {
  type CachedStage,
  type ProbeVariant,
  type RunLayout,
  runLayout,
  writeStagesFile,
} from './run-layout.js';
import { runMetadata } from './run-metadata.js';
import { ALL_UNITS, type UnitMode } from './stage-units.js';
import type { StudyData, StudyLanguage } from './study-data.js';
import { UnitClaims } from './unit-claims.js';
import { gapSummaries, layerSweep, prototypeProjections } from './summary-stage.js';

/** One study as every stage sees it: the config, the data, the folders and the languages' roles. */
interface Study {
  config: ExperimentConfig;
  data: StudyData;
  layout: RunLayout;
  source: StudyLanguage;
  /** Zero-shot targets: target and low-resource languages with a test split. */
  targets: StudyLanguage[];
  /** Target languages by resource group. */
  groups: { low: string[]; high: string[] };
  threads: number;
  /** The data's warnings, then each stage's. */
  warnings: string[];
  options: RunExperimentOptions;
}

function prepare(
  config: ExperimentConfig,
  data: StudyData,
  runDir: string,
  options: RunExperimentOptions,
): Study {
  const source = data.languages.find((s) => s.language.roles.includes('source'));
  if (!source?.fit)
    throw new XlingError(
      'XLING_UD_DATA_MISSING',
      `The source language '${config.sourceLanguage}' has no data to fit on.`,
    );
  const targets = data.languages.filter(
    (s) => s.test && s.language.roles.some((r) => r === 'target' || r === 'low-resource'),
  );
  const isLow = (t: StudyLanguage) => t.language.roles.includes('low-resource');
  return {
    config,
    data,
    layout: { ...runLayout(config), runDir: resolve(runDir) },
    source,
    targets,
    groups: {
      low: targets.filter(isLow).map((t) => t.language.language),
      high: targets.filter((t) => !isLow(t)).map((t) => t.language.language),
    },
    threads: config.threads > 0 ? config.threads : availableParallelism(),
    warnings: [...data.warnings],
    options,
  };
}

/**
 * The analysis of an experiment once representations exist (docs/pipeline.md): probes with their
 * controls, alignability, meta-learning, zero-shot scores, few-shot curves, the layer sweep, gaps
 * and prototype maps, the ICL stage when the config has an `icl` section (icl-stage.ts), then
 * report.json/.md/.html and stages.json in `runDir` (`runExperiment` passes `<outDir>/runs/<config hash>`). `runExperiment` calls it after extraction; the
 * known-answer tests call it on synthetic languages, so both go through the same code. Each stage
 * caches its outputs in its own folder under `<outDir>/stages/`, keyed by only what it reads
 * (run-layout.ts): a run that changes the alignability settings reuses the probes and learners.
 *
 * @throws XLING_UD_DATA_MISSING when the source language has no fitting split; XLING_ABORTED.
 */
export async function runStudy(
  config: ExperimentConfig,
  data: StudyData,
  runDir: string,
  options: RunExperimentOptions = {},
): Promise<ExperimentRun> {
  const { until = 'all', shard } = options;
  const study = prepare(config, data, runDir, options);
  await writeStagesFile(study.layout);
  if (shard) return runShard(study, shard, until);
  const probes = await stage(study, 'probes', () => probesStage(study, ALL_UNITS));
  if (until === 'probes') return stopped(study, until);
  const aligned = await alignabilityOf(study, probes.tables, ALL_UNITS);
  if (until === 'alignability')
    return report(
      study,
      {
        alignability: aligned.matrices,
        layerSweep: layerSweep(aligned.matrices, config),
        probes: probes.summaries,
      },
      aligned.notes,
    );

  const input = metaInput(study, probes.tables.real);
  const trained = await stage(study, 'meta', () => trainLearners(input));
  if (until === 'meta') return stopped(study, until);
  const zeroShot = await stage(study, 'zero-shot', () => zeroShotStage(input, trained.learners));
  const fewShot =
    config.fewShot.shots.length > 0
      ? await stage(study, 'few-shot', () => fewShotStage(input, trained.learners))
      : [];
  const { low, high } = study.groups;
  const all = study.targets.map((t) => t.language.language);
  const icl = config.icl ? await iclSection(study) : undefined;
  return report(
    study,
    {
      alignability: aligned.matrices,
      zeroShot: zeroShot.zeroShot,
      ...(fewShot.length > 0 ? { fewShot } : {}),
      layerSweep: layerSweep(aligned.matrices, config),
      gaps: gapSummaries(zeroShot.zeroShot, config, { low, high, all }),
      projections: prototypeProjections(probes.tables.real, study.source.language.language, config),
      confusion: zeroShot.confusion,
      probes: probes.summaries,
      learningCurves: trained.learningCurves,
      ...(icl ? { icl } : {}),
    },
    aligned.notes,
  );
}

const complete = (stage: string, command: string): UnitMode => ({
  kind: 'complete',
  stage,
  command: `xling ${command} <config>`,
});

/**
 * Shard `shard` of the stage `until` (`--shard i/N`): the stages it reads must be complete (shards
 * run side by side: none may compute a unit of an earlier stage), its own units are dealt
 * round-robin; `all` shards the zero-shot scores, few-shot seeds and ICL runs. Nothing is
 * assembled: the unsharded run that follows reads the units and writes the report.
 */
async function runShard(study: Study, shard: Shard, until: ExperimentStage): Promise<ExperimentRun> {
  if (shard.claims !== undefined) return runClaimingShard(study, shard, until);
  const { config } = study;
  const sharded: UnitMode = { kind: 'shard', shard };
  const modeOf = (stage: ExperimentStage, command: string) =>
    until === stage ? sharded : complete(stage, command);
  const probes = await stage(study, 'probes', () => probesStage(study, modeOf('probes', 'probe')));
  if (until === 'probes') return stopped(study, until);
  // The shard's alignability matrices: in `align` shards, and in `run`/`eval` shards, so the final
  // unsharded job only assembles them.
  const alignability = () => alignabilityOf(study, probes.tables, sharded);
  if (until === 'alignability') {
    await alignability();
    return stopped(study, until);
  }
  const input = metaInput(study, probes.tables.real);
  const trained = await stage(study, 'meta', () => trainLearners(input, modeOf('meta', 'meta train')));
  if (until === 'meta') return stopped(study, until);
  await alignability();
  await stage(study, 'zero-shot', () => zeroShotStage(input, trained.learners, sharded));
  if (config.fewShot.shots.length > 0)
    await stage(study, 'few-shot', () => fewShotStage(input, trained.learners, sharded));
  await iclShard(study, shard);
  return stopped(study, until);
}

/**
 * Shard `shard` with claims (`shard.claims`, the local executor's shards): the shards side by side
 * compute every stage up to `until`, each unit by the shard that claims it first (unit-claims.ts),
 * and a shard reading a stage waits for the units the others still compute. Longest units first:
 * the learners, then the alignability matrices and probe summaries while others train, then the
 * scores that need the learners; the ICL runs are dealt round-robin.
 */
async function runClaimingShard(study: Study, shard: Shard, until: ExperimentStage): Promise<ExperimentRun> {
  const claims = new UnitClaims(shard.claims as string);
  const { signal } = study.options;
  const waits = { claims, ...(signal ? { signal } : {}) };
  const own: UnitMode = { kind: 'claim', ...waits };
  // A stage read complete, waiting for the units the other shards compute.
  const read = (name: string, command: string): UnitMode => ({ ...complete(name, command), ...waits });
  await stage(study, 'probes', () => probesStage(study, own));
  const { tables } = await stage(study, 'probes', () => probesStage(study, read('probes', 'probe')));
  const summaries = () => stage(study, 'probes', () => summariesOf(study, tables, own));
  if (until === 'probes') {
    await summaries();
    return stopped(study, until);
  }
  const input = metaInput(study, tables.real);
  if (until !== 'alignability') await stage(study, 'meta', () => trainLearners(input, own));
  if (until !== 'meta') await alignabilityOf(study, tables, own);
  await summaries();
  if (until !== 'all') return stopped(study, until);
  const { learners } = await stage(study, 'meta', () => trainLearners(input, read('meta', 'meta train')));
  await stage(study, 'zero-shot', () => zeroShotStage(input, learners, own));
  if (study.config.fewShot.shots.length > 0)
    await stage(study, 'few-shot', () => fewShotStage(input, learners, own));
  await iclShard(study, shard);
  return stopped(study, until);
}

/** A run's probes: the real ones and their controls. */
type ProbeTables = Record<ProbeVariant, ProbeTable>;

/** The alignability stage on `tables`' probes (real, with the random-label control) under `mode`. */
function alignabilityOf(study: Study, tables: ProbeTables, mode: UnitMode) {
  return stage(study, 'alignability', () =>
    alignabilityStage({
      ...common(study),
      dir: study.layout.dirs.alignability,
      probes: tables.real,
      controlProbes: tables['random-label'],
      mode,
    }),
  );
}

/** The main layer's probe summaries (each probe beside its controls) under `mode`. */
function summariesOf(study: Study, tables: ProbeTables, mode: UnitMode) {
  return probeSummaries({
    ...common(study),
    layout: study.layout,
    probes: tables.real,
    controlTaskProbes: tables['control-task'],
    mode,
  });
}

/** The shard's ICL units (round-robin), when the config has an `icl` section. */
async function iclShard(study: Study, shard: Shard): Promise<void> {
  const { config, data, threads, options } = study;
  if (!config.icl) return;
  const { onProgress, signal } = options;
  const languages = data.languages.map((s) => s.language);
  await iclStageShard({ config, languages, threads, onProgress, signal }, shard);
}

/** The ICL stage on the study's languages; its folder joins stages.json. */
async function iclSection(study: Study) {
  const { config, data, layout, threads, options } = study;
  const { onProgress, signal } = options;
  const languages = data.languages.map((s) => s.language);
  const { section, folder } = await iclStage({ config, languages, threads, onProgress, signal });
  await writeStagesFile(layout, [folder]);
  return section;
}

function stage<T>(study: Study, name: CachedStage, body: () => Promise<T>): Promise<T> {
  return cachedStage(study.layout, name, study.options.onProgress, body);
}

/** What the analysis stages share: the config, the data and a sink for the report's warnings. */
function common(study: Study) {
  const { config, data, warnings } = study;
  const onWarning = (message: string) => warnings.push(message);
  return { config, languages: data.languages, instances: data.instances, onWarning };
}

function metaInput(study: Study, probes: ProbeTable): MetaStageInput {
  const { config, data, layout, source, targets, threads, options } = study;
  const { onProgress, signal } = options;
  const { languages, instances } = data;
  return { config, languages, instances, layout, probes, source, targets, threads, onProgress, signal };
}

/** The probes (real, random-label, control-task) of the run and the main layer's summaries. */
async function probesStage(study: Study, mode: UnitMode) {
  const { layout, threads, options } = study;
  const { onProgress, signal } = options;
  const tables = await fitProbes({ ...common(study), layout, threads, onProgress, signal, mode });
  // The summaries set every probe beside its controls: the unsharded run writes them.
  if (mode.kind !== 'all') return { tables, summaries: [] };
  return { tables, summaries: await summariesOf(study, tables, mode) };
}

function stopped(study: Study, until: NonNullable<RunExperimentOptions['until']>): ExperimentRun {
  return { runDir: study.layout.runDir, stageDirs: study.layout.dirs, until };
}

/** Writes report.json, .md and .html into the run folder (never cached: the title may change). */
async function report(
  study: Study,
  sections: Omit<ExperimentResult, 'schemaVersion' | 'run'>,
  notes: string[],
): Promise<ExperimentRun> {
  const { config, data, layout, groups, warnings, options } = study;
  const { onProgress, until = 'all' } = options;
  const result: ExperimentResult = {
    schemaVersion: 1,
    run: runMetadata(config, data, configHash(config), groups, notes),
    ...sections,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  onProgress?.({ status: 'start', task: 'experiment', label: 'writing the report' });
  const written = await writeReport(layout.runDir, result);
  onProgress?.({ status: 'end', task: 'experiment', label: layout.runDir });
  return { ...stopped(study, until), result, report: written };
}
