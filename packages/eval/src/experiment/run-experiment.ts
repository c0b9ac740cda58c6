import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { type ConceptMetric, OrthogonalProcrustes } from '@xling/align';
import {
  type ProgressCallback,
  type RepresentationKey,
  RepresentationStore,
  XlingError,
  createRng,
  deprel,
  selectRows,
  throwIfAborted,
  upos,
} from '@xling/core';
import { HiddenStateModel, type Pooling } from '@xling/extract';
import { type InstanceSet, LanguageAdapterProtoNet, LinearProbe, MetaProtoNet } from '@xling/meta';
import { type Substitution, resolveUdDir, scanUdDir } from '@xling/ud';
import { gapStatistics } from '../metrics/gap-statistics.js';
import type {
  AlignabilityMatrix,
  ConfusionSummary,
  ExperimentResult,
  FewShotCurve,
  GapSummary,
  LayerSweepSeries,
  PrototypeProjection,
  SplitSubstitution,
  TreebankInfo,
  ZeroShotScore,
} from '../report/experiment-result.js';
import { projectPrototypes } from '../report/project-prototypes.js';
import { type WrittenReport, writeReport } from '../report/write-report.js';
import { cachedJson } from './cached-json.js';
import { configHash } from './config-hash.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import { type ExperimentLanguage, resolveExperimentLanguages } from './experiment-languages.js';
import { type ExtractedSplit, extractSplit } from './extract-split.js';
import { metaSplits } from './meta-splits.js';
import { runAlignability } from './run-alignability.js';
import { runFewShot } from './run-few-shot.js';
import { runZeroShot } from './run-zero-shot.js';
import { storeInstances } from './store-instances.js';

/** The stages of an experiment, in order; each needs the ones before it. */
export const EXPERIMENT_STAGES = ['extract', 'probes', 'alignability', 'meta', 'all'] as const;

/** A stage to stop after: `all` runs everything and writes the full report. */
export type ExperimentStage = (typeof EXPERIMENT_STAGES)[number];

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  /**
   * Stop after this stage: `extract` (representations in the store), `probes` (per-language
   * probes), `alignability` (writes a report with the alignability matrices), `meta` (trains the
   * meta-learners), `all` (scores and writes the full report).
   * @defaultValue 'all'
   */
  until?: ExperimentStage;
  /** Per-stage progress: data, extraction (per treebank and batch), probes, meta-training, scoring. */
  onProgress?: ProgressCallback;
  /** Stops between units of work; a rerun resumes from the finished stages. */
  signal?: AbortSignal;
}

/** What {@link runExperiment} returns. */
export interface ExperimentRun {
  /** Folder of this run: `<outDir>/runs/<config hash>`. */
  runDir: string;
  /** The stage the run stopped after. */
  until: ExperimentStage;
  /** The validated result that was written (`alignability` and `all` only). */
  result?: ExperimentResult;
  /** Paths of report.json, report.md and report.html (`alignability` and `all` only). */
  report?: WrittenReport;
}

interface LanguageSplits {
  language: ExperimentLanguage;
  fit?: ExtractedSplit;
  dev?: ExtractedSplit;
  test?: ExtractedSplit;
}

const TASK_INVENTORY = { upos, deprel } as const;

/**
 * Runs a whole experiment (docs/pipeline.md): resolve the languages' treebanks, pre-process and
 * sample them, extract hidden states of every configured layer, fit a probe per language, task
 * and layer (and a random-label control probe), measure all-pairs alignability with permutation
 * p-values, meta-train the zero-shot and few-shot learners, score every zero-shot method and the
 * few-shot curves on the targets, sweep the layers, compute the gap statistics, and write
 * report.json, report.md and report.html atomically.
 *
 * Every stage's output is cached under `<outDir>/runs/<config hash>/` and the representations in
 * `<outDir>/store/`, so an interrupted run resumes where it stopped and a finished run returns at
 * once with the same numbers.
 *
 * @throws XLING_CONFIG / XLING_UD_DATA_MISSING / XLING_MODEL_FOLDER for bad inputs, before any
 * long work; XLING_ABORTED when `signal` fires.
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunExperimentOptions = {},
): Promise<ExperimentRun> {
  const { onProgress, signal, until = 'all' } = options;
  if (!EXPERIMENT_STAGES.includes(until)) {
    throw new XlingError(
      'XLING_INVALID_ARGUMENT',
      `Argument 'options.until' passed to 'runExperiment' must be one of ${EXPERIMENT_STAGES.join(', ')}, but got '${String(until)}'.`,
    );
  }
  const hash = configHash(config);
  const outDir = resolve(config.outDir);
  const runDir = join(outDir, 'runs', hash);
  const udDir = resolveUdDir(config.udDir);
  const stage = (label: string) => onProgress?.({ status: 'start', task: 'experiment', label });
  const warnings: string[] = [];

  stage('resolving treebanks');
  const index = await scanUdDir(udDir);
  const plan = await resolveExperimentLanguages(config, index);
  warnings.push(...plan.warnings);

  stage('loading the model');
  const model = await HiddenStateModel.load(resolve(config.model), { intraOpNumThreads: config.threads });
  try {
    for (const layer of config.layers) {
      if (layer > model.numLayers) {
        throw new XlingError(
          'XLING_CONFIG',
          `Config key 'layers' asks for layer ${layer}, but the model '${config.model}' has layers 0..${model.numLayers}.`,
        );
      }
    }
    const modelName = config.modelName ?? basename(resolve(config.model));
    const pooling = (config.pooling ?? model.folder.family.defaultPooling) as Pooling;
    const store = await RepresentationStore.open(join(outDir, 'store'));

    // 1. Data and representations, one treebank at a time.
    const splits: LanguageSplits[] = [];
    for (const [i, language] of plan.languages.entries()) {
      throwIfAborted(signal, 'runExperiment');
      const tb = language.treebank;
      onProgress?.({
        status: 'progress',
        task: 'extract',
        label: tb.name,
        done: i,
        total: plan.languages.length,
        unit: 'treebank',
      });
      const common = {
        store,
        model,
        modelName,
        layers: config.layers,
        pooling,
        overflow: config.overflow,
        seed: config.seed,
        onProgress,
        signal,
      };
      const entry: LanguageSplits = { language };
      if (tb.fitSplit)
        entry.fit = await extractSplit(tb, tb.fitSplit, { ...common, cap: config.maxFitSentences });
      if (tb.fitSplit === 'train' && tb.splits.dev)
        entry.dev = await extractSplit(tb, 'dev', { ...common, cap: config.maxTestSentences });
      if (tb.testSplit && !language.roles.every((r) => r === 'meta' || r === 'validation')) {
        entry.test = await extractSplit(tb, 'test', { ...common, cap: config.maxTestSentences });
      }
      splits.push(entry);
    }
    onProgress?.({
      status: 'end',
      task: 'extract',
      done: plan.languages.length,
      total: plan.languages.length,
      unit: 'treebank',
    });

    const instanceCache = new Map<string, Promise<InstanceSet>>();
    const instances = (
      split: ExtractedSplit | undefined,
      language: string,
      layer: number,
      task: ExperimentTask,
    ) => {
      if (!split) return undefined;
      const key: RepresentationKey = {
        model: modelName,
        layer,
        pooling,
        treebank: split.treebank,
        split: split.storeSplit,
      };
      const id = JSON.stringify([key, task]);
      let promise = instanceCache.get(id);
      if (!promise) {
        promise = storeInstances(store, key, task, { fitSplit: split.split, language });
        instanceCache.set(id, promise);
      }
      return promise;
    };

    const source = splits.find((s) => s.language.roles.includes('source'));
    if (!source?.fit)
      throw new XlingError(
        'XLING_UD_DATA_MISSING',
        `The source language '${config.sourceLanguage}' has no data to fit on.`,
      );
    const withFit = splits.filter((s) => s.fit);
    const targets = splits.filter(
      (s) => s.test && s.language.roles.some((r) => r === 'target' || r === 'low-resource'),
    );
    const mainLayer = config.layers[0];
    const metaLanguages = withFit.filter((s) => s.language.roles.includes('meta'));
    const validationLanguages = withFit.filter((s) => s.language.roles.includes('validation'));
    const targetCodes = targets.map((t) => t.language.language);
    const lowResourceCodes = targets
      .filter((t) => t.language.roles.includes('low-resource'))
      .map((t) => t.language.language);
    const highResourceCodes = targets
      .filter((t) => !t.language.roles.includes('low-resource'))
      .map((t) => t.language.language);
    const scoring = {
      resamples: config.bootstrap.resamples,
      alpha: config.bootstrap.alpha,
      seed: config.seed,
    };

    // 2. Probes per task, layer and language (plus random-label controls), cached on disk.
    const probeOptions = (task: ExperimentTask) => ({
      k: config.probe.k[task],
      epochs: config.probe.epochs,
      learningRate: config.probe.learningRate,
      batchSize: config.probe.batchSize,
      seed: config.seed,
    });
    const probeFor = async (s: LanguageSplits, layer: number, task: ExperimentTask, control: boolean) => {
      const folder = join(
        runDir,
        'probes',
        `${task}-L${layer}${control ? '-control' : ''}`,
        s.language.treebank.name,
      );
      if (existsSync(join(folder, 'config.json'))) return LinearProbe.load(folder);
      let fit = (await instances(s.fit, s.language.language, layer, task))!;
      const dev = await instances(s.dev, s.language.language, layer, task);
      if (control)
        fit = {
          ...fit,
          labels: Int32Array.from(
            createRng(config.seed)
              .fork(`control/${s.language.treebank.name}`)
              .shuffle(Array.from(fit.labels)),
          ),
        };
      const probe = new LinearProbe(probeOptions(task)).fit(fit, control ? undefined : dev);
      await probe.save(folder);
      return probe;
    };
    const probes: Record<string, Record<string, LinearProbe>> = {};
    const controls: Record<string, Record<string, LinearProbe>> = {};
    let done = 0;
    const totalProbes =
      config.tasks.length *
      config.layers.length *
      withFit.length *
      (config.alignability.randomLabelControl ? 2 : 1);
    for (const task of config.tasks) {
      for (const layer of config.layers) {
        const id = `${task}/${layer}`;
        probes[id] = {};
        controls[id] = {};
        for (const s of withFit) {
          throwIfAborted(signal, 'runExperiment');
          onProgress?.({
            status: 'progress',
            task: 'probes',
            label: `${task} L${layer} ${s.language.language}`,
            done: done++,
            total: totalProbes,
            unit: 'probe',
          });
          probes[id][s.language.language] = await probeFor(s, layer, task, false);
          if (config.alignability.randomLabelControl) {
            controls[id][s.language.language] = await probeFor(s, layer, task, true);
            done++;
          }
        }
      }
    }

    if (until === 'probes') return { runDir, until };

    // 3. Alignability per task and layer.
    stage('alignability');
    const alignability: AlignabilityMatrix[] = [];
    for (const task of config.tasks) {
      for (const layer of config.layers) {
        const id = `${task}/${layer}`;
        alignability.push(
          ...(await cachedJson(join(runDir, 'alignability', `${task}-L${layer}.json`), async () =>
            runAlignability(probes[id], {
              task,
              layer,
              metrics: config.alignability.metrics as ConceptMetric[],
              permutations: config.alignability.permutations,
              minCount: config.meta.minCount,
              seed: config.seed,
              ...(config.alignability.randomLabelControl ? { controlProbes: controls[id] } : {}),
              onWarning: (message) => warnings.push(message),
            }),
          )),
        );
      }
    }

    const metadata = (): ExperimentResult['run'] => ({
      title: config.title,
      configHash: hash,
      createdAt: new Date().toISOString(),
      model: { name: modelName, hiddenSize: model.hiddenSize, layers: model.numLayers },
      layer: mainLayer,
      pooling,
      sourceLanguage: config.sourceLanguage,
      seeds: [config.seed, ...config.fewShot.seeds],
      ud: { version: udVersions(plan.languages), treebanks: treebankInfo(splits, lowResourceCodes) },
      splitSubstitutions: splitSubstitutions(plan.substitutions, splits),
      resourceGroups: { low: lowResourceCodes, high: highResourceCodes },
      notes: [
        `Sentences per language: at most ${config.maxFitSentences} for fitting and ${config.maxTestSentences} for testing (a seeded sample above that), after METHOD.md's pre-processing.`,
        `Representations: ${modelName}, layer(s) ${config.layers.join(', ')}, ${pooling}-subword pooling.`,
        `Meta-learning: ${config.meta.epochs} epochs x ${config.meta.episodesPerLanguage} episodes per language, ${metaLanguages.length} meta-training languages, model selection on ${validationLanguages.map((s) => s.language.language).join(' ') || 'none'} (targets excluded; each validates on its dev split, or on 20% of its fitting sentences held out from meta-training when dev is its fitting split).`,
      ],
    });
    const finish = async (result: ExperimentResult): Promise<ExperimentRun> => {
      stage('writing the report');
      const report = await writeReport(runDir, result);
      onProgress?.({ status: 'end', task: 'experiment', label: runDir });
      return { runDir, until, result, report };
    };
    if (until === 'alignability') {
      return finish({
        schemaVersion: 1,
        run: metadata(),
        alignability,
        ...(warnings.length > 0 ? { warnings } : {}),
      });
    }

    // 4. Meta-learning and zero-shot scores at the main layer.
    const zeroShot: ZeroShotScore[] = [];
    const confusion: ConfusionSummary[] = [];
    const fewShot: FewShotCurve[] = [];
    for (const task of config.tasks) {
      const id = `${task}/${mainLayer}`;
      const sourceProbe = probes[id][source.language.language];
      const metaOptions = {
        k: config.probe.k[task],
        epochs: config.meta.epochs,
        episodesPerLanguage: config.meta.episodesPerLanguage,
        querySize: config.meta.querySize,
        learningRate: config.meta.learningRate,
        minCount: config.meta.minCount,
        seed: config.seed,
      };
      const fitData = async () => {
        const inputs = await Promise.all(
          withFit
            .filter((s) => s.language.roles.includes('meta') || s.language.roles.includes('validation'))
            .map(async (s) => {
              const dev = await instances(s.dev, s.language.language, mainLayer, task);
              return {
                language: s.language.language,
                fit: (await instances(s.fit, s.language.language, mainLayer, task))!,
                ...(dev ? { dev } : {}),
                meta: s.language.roles.includes('meta'),
                validation: s.language.roles.includes('validation'),
              };
            }),
        );
        const { training, validation } = metaSplits(inputs, config.seed);
        return {
          source: { ...sourceProbe.prototypeSet, language: source.language.language },
          languages: training,
          validation,
          targets: targetCodes,
        };
      };
      const trained = async <T extends MetaProtoNet | LanguageAdapterProtoNet>(
        name: string,
        create: () => T,
        load: (folder: string) => Promise<T>,
      ): Promise<T> => {
        const folder = join(runDir, name, `${task}-L${mainLayer}`);
        if (existsSync(join(folder, 'model', 'config.json'))) return load(join(folder, 'model'));
        stage(`meta-training ${name} (${task})`);
        const net = create();
        await net.fit(await fitData(), { onProgress, signal, checkpointDir: join(folder, 'checkpoint') });
        await net.save(join(folder, 'model'));
        return net;
      };
      const { k: _k, ...learnerOptions } = metaOptions;
      const meta = await trained('meta', () => new MetaProtoNet(learnerOptions), MetaProtoNet.load);
      const fewShotNet =
        config.fewShot.shots.length > 0
          ? await trained(
              'few-shot',
              () => new LanguageAdapterProtoNet(learnerOptions),
              LanguageAdapterProtoNet.load,
            )
          : undefined;
      if (until === 'meta') continue;
      stage(`zero-shot scores (${task})`);
      const scored = await cachedJson(join(runDir, 'zero-shot', `${task}-L${mainLayer}.v2.json`), async () =>
        runZeroShot({
          task,
          layer: mainLayer,
          sourceProbe,
          sourceFit: (await instances(source.fit, source.language.language, mainLayer, task))!,
          ...(source.dev
            ? { sourceDev: await instances(source.dev, source.language.language, mainLayer, task) }
            : {}),
          seed: config.seed,
          meta,
          targets: await Promise.all(
            targets.map(async (t) => ({
              language: t.language.language,
              treebank: t.language.treebank.name,
              test: (await instances(t.test, t.language.language, mainLayer, task))!,
              ...(probes[id][t.language.language] ? { probe: probes[id][t.language.language] } : {}),
            })),
          ),
          scoring,
        }),
      );
      zeroShot.push(...scored.scores);
      confusion.push(...scored.confusion);
      if (fewShotNet) {
        const net = fewShotNet;
        stage(`few-shot curves (${task})`);
        fewShot.push(
          ...(await cachedJson(join(runDir, 'few-shot', `${task}-L${mainLayer}.json`), async () =>
            runFewShot({
              task,
              layer: mainLayer,
              net,
              targets: await Promise.all(
                targets
                  .filter((t) => t.fit)
                  .map(async (t) => ({
                    language: t.language.language,
                    fit: (await instances(t.fit, t.language.language, mainLayer, task))!,
                    test: (await instances(t.test, t.language.language, mainLayer, task))!,
                  })),
              ),
              shots: config.fewShot.shots,
              seeds: config.fewShot.seeds,
              epochs: config.fewShot.epochs,
              probe: probeOptions(task),
              seed: config.seed,
            }),
          )),
        );
      }
    }

    if (until === 'meta') return { runDir, until };

    // 5. Layer sweep: mean alignability over language pairs, per layer.
    const layerSweep: LayerSweepSeries[] = [];
    for (const task of config.tasks) {
      for (const metric of new Set(alignability.map((a) => a.metric))) {
        const rows = alignability.filter((a) => a.task === task && a.metric === metric);
        layerSweep.push({
          task,
          quantity: `mean ${metric}`,
          higherIsBetter: rows[0]?.higherIsBetter ?? true,
          points: rows.map((a) => ({ layer: a.layer, value: meanOffDiagonal(a.values) })),
        });
      }
    }

    // 6. Gap statistics over the targets, against the unmapped source probe.
    const lowResource = targets
      .filter((t) => t.language.roles.includes('low-resource'))
      .map((t) => t.language.language);
    const highResource = targets
      .filter((t) => !t.language.roles.includes('low-resource'))
      .map((t) => t.language.language);
    const gaps: GapSummary[] = [];
    for (const task of config.tasks) {
      const byMethod: Record<string, Record<string, number>> = {};
      for (const s of zeroShot.filter((z) => z.task === task)) {
        byMethod[s.method] = { ...byMethod[s.method], [s.language]: s.accuracy };
      }
      // Only methods scored on every target enter the grouped comparison.
      const complete = Object.fromEntries(
        Object.entries(byMethod).filter(([, v]) => targetCodes.every((l) => v[l] !== undefined)),
      );
      const groups =
        lowResource.length > 0 && highResource.length > 0
          ? { low: lowResource, high: highResource }
          : undefined;
      const stats = gapStatistics(complete, {
        ...(groups ? { groups } : {}),
        ...(complete['source-probe'] ? { baseline: 'source-probe' } : {}),
        resamples: config.bootstrap.resamples,
        alpha: config.bootstrap.alpha,
        seed: config.seed,
      });
      for (const g of stats) gaps.push({ task, layer: mainLayer, metric: 'accuracy', ...g });
    }

    // 7. Prototypes of every language mapped onto the source by Procrustes, projected to 2-D.
    const projections: PrototypeProjection[] = config.tasks.map((task) => {
      const id = `${task}/${mainLayer}`;
      const inventory = TASK_INVENTORY[task];
      const sourceProbe = probes[id][source.language.language];
      const sets = Object.entries(probes[id]).flatMap(([language, probe]) => {
        const sourceRow = new Map(Array.from(sourceProbe.prototypeLabels, (l, i) => [l, i]));
        const rows: number[] = [];
        const sourceRows: number[] = [];
        probe.prototypeLabels.forEach((l, i) => {
          if (sourceRow.has(l)) {
            rows.push(i);
            sourceRows.push(sourceRow.get(l)!);
          }
        });
        if (rows.length < 3) return [];
        const mapped = new OrthogonalProcrustes({ scale: true, center: true })
          .fit(selectRows(probe.prototypes, rows), selectRows(sourceProbe.prototypes, sourceRows))
          .transform(probe.prototypes);
        return [
          {
            language,
            labels: Array.from(probe.prototypeLabels, (l) => inventory.label(l)),
            prototypes: mapped,
          },
        ];
      });
      return {
        ...projectPrototypes(sets),
        task,
        layer: mainLayer,
        space: 'procrustes-mapped onto the source',
      };
    });

    return finish({
      schemaVersion: 1,
      run: metadata(),
      alignability,
      zeroShot,
      ...(fewShot.length > 0 ? { fewShot } : {}),
      layerSweep,
      gaps,
      projections,
      confusion,
      ...(warnings.length > 0 ? { warnings } : {}),
    });
  } finally {
    await model.dispose();
  }
}

function meanOffDiagonal(values: (number | null)[][]): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values[i].length; j++) {
      const v = values[i][j];
      if (i !== j && v !== null) {
        sum += v;
        n++;
      }
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

function udVersions(languages: ExperimentLanguage[]): string {
  const versions = new Set<string>();
  for (const l of languages) {
    for (const split of Object.values(l.treebank.splits))
      for (const f of split?.files ?? []) if (f.udVersion) versions.add(f.udVersion);
  }
  return versions.size === 0 ? 'unknown' : [...versions].sort().join(', ');
}

function treebankInfo(splits: LanguageSplits[], lowResource: string[]): TreebankInfo[] {
  return splits.map((s) => ({
    language: s.language.language,
    treebank: s.language.treebank.name,
    resource: lowResource.includes(s.language.language) ? 'low' : 'high',
    splits: Object.fromEntries(
      [s.fit, s.dev, s.test]
        .filter((x): x is ExtractedSplit => x !== undefined)
        .map((x) => [x.split, x.stored]),
    ),
  }));
}

function splitSubstitutions(substitutions: Substitution[], splits: LanguageSplits[]): SplitSubstitution[] {
  const out: SplitSubstitution[] = [];
  for (const s of splits) {
    if (s.fit?.split === 'dev') {
      out.push({
        language: s.language.language,
        treebank: s.language.treebank.name,
        used: 'dev',
        insteadOf: 'train',
        reason: 'no train split in the UD directory: dev is used for fitting, test for testing',
      });
    }
  }
  for (const sub of substitutions) {
    if (sub.kind === 'older-release' && sub.split) {
      const s = splits.find((x) => x.language.treebank.name === sub.treebank);
      out.push({
        language: s?.language.language ?? '?',
        treebank: sub.treebank,
        used: sub.split,
        insteadOf: sub.split,
        reason: sub.message,
      });
    }
  }
  return out;
}
