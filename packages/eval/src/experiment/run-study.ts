import { availableParallelism } from 'node:os';
import { XlingError } from '@xling/core';
import type { ExperimentResult } from '../report/experiment-result.js';
import { type WrittenReport, writeReport } from '../report/write-report.js';
import { alignabilityStage } from './alignability-stage.js';
import { configHash } from './config-hash.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import { metaStage } from './meta-stage.js';
import { type ProbeVariant, fitProbes } from './probe-stage.js';
import { probeSummaries } from './probe-summaries.js';
import type { ExperimentRun, RunExperimentOptions } from './run-experiment.js';
import { runMetadata } from './run-metadata.js';
import type { StudyData } from './study-data.js';
import { gapSummaries, layerSweep, prototypeProjections } from './summary-stage.js';

/** Which probes the run needs: real probes and control-task probes at the main layer, probes at
 * every layer only when the alignability compares probe prototypes (and their random-label twins). */
function probePlan(
  config: ExperimentConfig,
): Array<{ task: ExperimentTask; layer: number; variant: ProbeVariant }> {
  const plan: Array<{ task: ExperimentTask; layer: number; variant: ProbeVariant }> = [];
  const byProbe = config.alignability.prototypes === 'probe';
  for (const task of config.tasks) {
    for (const [i, layer] of config.layers.entries()) {
      if (i === 0 || byProbe) plan.push({ task, layer, variant: 'real' });
      if (i === 0) plan.push({ task, layer, variant: 'control-task' });
      if (byProbe && config.alignability.randomLabelControl)
        plan.push({ task, layer, variant: 'random-label' });
    }
  }
  return plan;
}

/**
 * The analysis of an experiment once representations exist (docs/pipeline.md): probes with their
 * controls, alignability, meta-learning, zero-shot scores, few-shot curves, the layer sweep, gaps
 * and prototype maps, then report.json/.md/.html under `runDir`. `runExperiment` calls it after
 * extraction; the known-answer tests call it on synthetic languages, so both go through the same
 * code. Every stage caches its output under `runDir`.
 *
 * @throws XLING_UD_DATA_MISSING when the source language has no fitting split; XLING_ABORTED.
 */
export async function runStudy(
  config: ExperimentConfig,
  data: StudyData,
  runDir: string,
  options: RunExperimentOptions = {},
): Promise<ExperimentRun> {
  const { onProgress, signal, until = 'all' } = options;
  const warnings = [...data.warnings];
  const onWarning = (message: string) => warnings.push(message);
  const { languages, instances } = data;
  const source = languages.find((s) => s.language.roles.includes('source'));
  if (!source?.fit)
    throw new XlingError(
      'XLING_UD_DATA_MISSING',
      `The source language '${config.sourceLanguage}' has no data to fit on.`,
    );
  const targets = languages.filter(
    (s) => s.test && s.language.roles.some((r) => r === 'target' || r === 'low-resource'),
  );
  const threads = config.threads > 0 ? config.threads : availableParallelism();

  const tables = await fitProbes({
    runDir,
    config,
    languages,
    instances,
    plan: probePlan(config),
    threads,
    onProgress,
    signal,
  });
  if (until === 'probes') return { runDir, until };
  const common = { runDir, config, languages, instances, onWarning };
  const probes = await probeSummaries({
    ...common,
    probes: tables.real,
    controlTaskProbes: tables['control-task'],
  });

  onProgress?.({ status: 'start', task: 'experiment', label: 'alignability' });
  const aligned = await alignabilityStage({
    ...common,
    probes: tables.real,
    controlProbes: tables['random-label'],
  });
  const low = targets
    .filter((t) => t.language.roles.includes('low-resource'))
    .map((t) => t.language.language);
  const high = targets
    .filter((t) => !t.language.roles.includes('low-resource'))
    .map((t) => t.language.language);
  const run = () => runMetadata(config, data, configHash(config), { low, high }, aligned.notes);
  const finish = async (result: ExperimentResult): Promise<ExperimentRun> => {
    onProgress?.({ status: 'start', task: 'experiment', label: 'writing the report' });
    const report: WrittenReport = await writeReport(runDir, {
      ...result,
      ...(warnings.length > 0 ? { warnings } : {}),
    });
    onProgress?.({ status: 'end', task: 'experiment', label: runDir });
    return { runDir, until, result, report };
  };
  if (until === 'alignability')
    return finish({ schemaVersion: 1, run: run(), alignability: aligned.matrices, probes });

  const meta = await metaStage({
    ...common,
    probes: tables.real,
    source,
    targets,
    threads,
    trainOnly: until === 'meta',
    ...(onProgress ? { onProgress } : {}),
    ...(signal ? { signal } : {}),
  });
  if (until === 'meta') return { runDir, until };
  return finish({
    schemaVersion: 1,
    run: run(),
    alignability: aligned.matrices,
    zeroShot: meta.zeroShot,
    ...(meta.fewShot.length > 0 ? { fewShot: meta.fewShot } : {}),
    layerSweep: layerSweep(aligned.matrices, config),
    gaps: gapSummaries(meta.zeroShot, config, { low, high, all: targets.map((t) => t.language.language) }),
    projections: prototypeProjections(tables.real, source.language.language, config),
    confusion: meta.confusion,
    probes,
    learningCurves: meta.learningCurves,
  });
}
