import { basename, resolve } from 'node:path';
import {
  type ProgressCallback,
  type RepresentationKey,
  RepresentationStore,
  XlingError,
  throwIfAborted,
} from '@xling/core';
import {
  HiddenStateModel,
  type Pooling,
  checkExecutionProviders,
  executionProvidersFor,
} from '@xling/extract';
import type { InstanceSet } from '@xling/meta';
import { resolveUdDir, scanUdDir } from '@xling/ud';
import type { ExperimentResult } from '../report/experiment-result.js';
import type { WrittenReport } from '../report/write-report.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import { type ExperimentLanguage, resolveExperimentLanguages } from './experiment-languages.js';
import {
  type ExtractedSplit,
  type ExtractSplitOptions,
  type ReadFacts,
  extractSplit,
  withStored,
} from './extract-split.js';
import { loadSplit, saveSplit, splitFiles } from './split-cache.js';
import { type Shard, checkShard, extractionUnits, unitId, unitsOfShard } from './extraction-units.js';
import { type CachedStage, runLayout } from './run-layout.js';
import { runStudy } from './run-study.js';
import { storeInstances } from './store-instances.js';
import type { InstanceSource, StudyLanguage } from './study-data.js';
import { UnitClaims } from './unit-claims.js';
import { adoptUnit, markUnitDone, shardStoreFor, unitStoreToRead } from './unit-stores.js';

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
  /**
   * Per-stage progress: data, extraction (per treebank and batch), probes, meta-training, scoring;
   * each cached stage starts and ends with a `stage` event whose end label says whether its folder
   * was `reused` as it was or `computed`.
   */
  onProgress?: ProgressCallback;
  /** Stops between units of work; a rerun resumes from the finished stages. */
  signal?: AbortSignal;
  /**
   * Does only this shard's units of the stage `until`. `extract`: each unit (extraction-units.ts)
   * into its own store under `<outDir>/store-units/`; the next unsharded run moves them into the
   * store. Later stages (stage-units.ts) need the store and the stages they read complete, and
   * write their units into the stage folders: probes, alignability matrices, learners, and for
   * `all` the zero-shot scores, few-shot seeds and ICL runs; the unsharded run after the shards
   * assembles them and writes the report.
   */
  shard?: Shard;
}

/** What a shard did with one of its units: extracted it, or found it complete. */
export interface UnitOutcome {
  id: string;
  status: 'extracted' | 'complete';
}

/** What {@link runExperiment} returns. */
export interface ExperimentRun {
  /** Folder of this run's report and stages.json: `<outDir>/runs/<config hash>`. */
  runDir: string;
  /** Folder of each cached stage, `<outDir>/stages/<stage>/<key>` (those after `until` are not made). */
  stageDirs: Record<CachedStage, string>;
  /** The stage the run stopped after. */
  until: ExperimentStage;
  /** The validated result that was written (`alignability` and `all` only). */
  result?: ExperimentResult;
  /** Paths of report.json, report.md and report.html (`alignability` and `all` only). */
  report?: WrittenReport;
  /** With `shard`: this shard's units, in the order it ran them. */
  units?: UnitOutcome[];
}

/**
 * Runs a whole experiment (docs/pipeline.md): resolve the languages' treebanks, pre-process and
 * sample them, extract hidden states of every configured layer into the store, then
 * {@link runStudy}: probes with their controls, all-pairs alignability with permutation p-values,
 * meta-learning, zero-shot scores, few-shot curves, the layer sweep and gap statistics, written as
 * report.json, report.md and report.html.
 *
 * The representations are cached in `<outDir>/store/`, every later stage's outputs in
 * `<outDir>/stages/<stage>/<key>/` under a key made of only what the stage reads, and the report
 * goes to `<outDir>/runs/<config hash>/` (run-layout.ts), so an interrupted run resumes where it
 * stopped, a finished run returns at once with the same numbers, and a changed setting re-runs
 * only the stages that read it.
 *
 * @throws XLING_CONFIG / XLING_UD_DATA_MISSING / XLING_MODEL_FOLDER for bad inputs, and
 * XLING_BACKEND_UNAVAILABLE for a `device` this onnxruntime-node cannot use, before any long
 * work; XLING_ABORTED when `signal` fires.
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunExperimentOptions = {},
): Promise<ExperimentRun> {
  const { onProgress, signal, until = 'all', shard } = options;
  if (!EXPERIMENT_STAGES.includes(until)) {
    throw new XlingError(
      'XLING_INVALID_ARGUMENT',
      `Argument 'options.until' passed to 'runExperiment' must be one of ${EXPERIMENT_STAGES.join(', ')}, but got '${String(until)}'.`,
    );
  }
  if (shard) checkShard(shard, 'runExperiment');
  const layout = runLayout(config);
  // Before any work: the ICL stage, hours later, loads its decoder on the same device.
  const executionProviders = executionProvidersFor(config.device);
  checkExecutionProviders(executionProviders);
  const stage = (label: string) => onProgress?.({ status: 'start', task: 'experiment', label });
  stage('resolving treebanks');
  const plan = await resolveExperimentLanguages(config, await scanUdDir(resolveUdDir(config.udDir)));
  stage('loading the model');
  const model = await HiddenStateModel.load(resolve(config.model), {
    intraOpNumThreads: config.threads,
    executionProviders,
  });
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
    const store = await RepresentationStore.open(layout.storeDir);
    const extracted = new Map<string, ExtractedSplit>();
    const extract = {
      store,
      model,
      modelName,
      pooling,
      onProgress,
      signal,
      extracted,
      splitsDir: layout.splitsDir,
    };
    const claims = shard?.claims !== undefined ? new UnitClaims(shard.claims) : undefined;
    if (shard && (until === 'extract' || claims)) {
      const units = await extractShard(config, plan.languages, shard, layout.unitsDir, extract, claims);
      if (until === 'extract') return { runDir: layout.runDir, stageDirs: layout.dirs, until, units };
    }
    // Shards of later stages run side by side, so they must not write the store: it is gathered
    // (claiming shards read the unit stores; the unsharded run after them gathers).
    const sources = new WeakMap<ExtractedSplit, RepresentationStore>();
    const mode: ExtractAllMode = !shard
      ? { kind: 'gather', unitsDir: layout.unitsDir }
      : claims
        ? { kind: 'read units', unitsDir: layout.unitsDir, claims, sources }
        : { kind: 'complete' };
    const languages = await extractAll(config, plan.languages, mode, extract);
    if (until === 'extract') return { runDir: layout.runDir, stageDirs: layout.dirs, until };
    return await runStudy(
      config,
      {
        languages,
        instances: storeSource((split) => sources.get(split) ?? store, modelName, pooling),
        model: { name: modelName, hiddenSize: model.hiddenSize, layers: model.numLayers },
        pooling,
        substitutions: plan.substitutions,
        warnings: plan.warnings,
      },
      layout.runDir,
      options,
    );
  } finally {
    await model.dispose();
  }
}

/** What extraction needs besides the config. */
interface ExtractContext {
  store: RepresentationStore;
  model: HiddenStateModel;
  modelName: string;
  pooling: Pooling;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** The splits this process extracted, by unit id: a claiming shard reads each split once. */
  extracted: Map<string, ExtractedSplit>;
  /** The split cache (split-cache.ts): later processes read no treebank whose split is stored. */
  splitsDir: string;
}

/** {@link extractSplit}'s options for `config` and `context`, less the cap. */
function splitOptions(config: ExperimentConfig, context: ExtractContext): Omit<ExtractSplitOptions, 'cap'> {
  return { ...context, layers: config.layers, overflow: config.overflow, seed: config.seed };
}

/**
 * Where {@link extractAll} finds the entries: `gather` extracts what is missing, first adopting what
 * shards extracted into `unitsDir`; `complete` (shards) needs every entry in the store; `read
 * units` (claiming shards) reads an entry missing from the store from its unit's store, once the
 * shard that claimed the unit finished it, and records in `sources` which store holds each split.
 */
type ExtractAllMode =
  | { kind: 'gather'; unitsDir: string }
  | { kind: 'complete' }
  | {
      kind: 'read units';
      unitsDir: string;
      claims: UnitClaims;
      sources: WeakMap<ExtractedSplit, RepresentationStore>;
    };

/** The store of one split's `keys` under `mode` (see {@link ExtractAllMode}). */
async function storeOfSplit(
  mode: ExtractAllMode,
  id: string,
  keys: RepresentationKey[],
  context: ExtractContext,
): Promise<RepresentationStore> {
  const { store, model } = context;
  if (mode.kind === 'gather') await adoptUnit(mode.unitsDir, id, keys, store, model.fingerprint);
  if (mode.kind === 'complete') requireComplete(store, keys);
  if (mode.kind !== 'read units') return store;
  return unitStoreToRead(mode.unitsDir, id, keys, store);
}

/**
 * Extracts (or finds, see {@link ExtractAllMode}) every language's fitting, dev and test splits; a
 * complete store entry is reused.
 */
async function extractAll(
  config: ExperimentConfig,
  languages: ExperimentLanguage[],
  mode: ExtractAllMode,
  context: ExtractContext,
): Promise<Array<StudyLanguage & { fit?: ExtractedSplit; dev?: ExtractedSplit; test?: ExtractedSplit }>> {
  const { onProgress, signal } = context;
  const out: Array<StudyLanguage & { fit?: ExtractedSplit; dev?: ExtractedSplit; test?: ExtractedSplit }> =
    [];
  const common = splitOptions(config, context);
  const extract = async (
    tb: ExperimentLanguage['treebank'],
    split: 'train' | 'dev' | 'test',
    cap: number,
  ) => {
    const id = unitId(tb, split, cap);
    // This run's claim (not a done mark: an earlier run's stay after its gather); its claimer has
    // then stored and cached the split.
    if (mode.kind === 'read units') await mode.claims.waitFor('extract', id, () => false, signal);
    let source: RepresentationStore | undefined;
    const storeFor = async (keys: RepresentationKey[]) => {
      source = await storeOfSplit(mode, id, keys, context);
      return source;
    };
    // A split this process extracted or whose read facts are cached is not read again.
    const known =
      context.extracted.get(id) ?? (await loadSplit(context.splitsDir, id, tb, split, { ...common, cap }));
    let extracted = await storedSplit(known, storeFor, context.model.fingerprint);
    if (!extracted) {
      const files = await splitFiles(tb, split);
      extracted = await extractSplit(tb, split, { ...common, cap, storeFor });
      await saveSplit(context.splitsDir, id, extracted, files);
    }
    if (mode.kind === 'read units' && source) mode.sources.set(extracted, source);
    return extracted;
  };
  for (const [i, language] of languages.entries()) {
    throwIfAborted(signal, 'runExperiment');
    const tb = language.treebank;
    onProgress?.({
      status: 'progress',
      task: 'extract',
      label: tb.name,
      done: i,
      total: languages.length,
      unit: 'treebank',
    });
    const entry: (typeof out)[number] = { language };
    if (tb.fitSplit) entry.fit = await extract(tb, tb.fitSplit, config.maxFitSentences);
    if (tb.fitSplit === 'train' && tb.splits.dev)
      entry.dev = await extract(tb, 'dev', config.maxTestSentences);
    // Every language is tested (not only the targets): its probe is reported beside its controls.
    if (tb.testSplit) entry.test = await extract(tb, 'test', config.maxTestSentences);
    out.push(entry);
  }
  onProgress?.({
    status: 'end',
    task: 'extract',
    done: languages.length,
    total: languages.length,
    unit: 'treebank',
  });
  return out;
}

/**
 * `known` (a split read before) when its store holds every entry from the model with
 * `fingerprint`; undefined when it must be extracted (which also says when another model wrote it).
 */
async function storedSplit(
  known: ReadFacts | undefined,
  storeFor: (keys: RepresentationKey[]) => Promise<RepresentationStore>,
  fingerprint: string,
): Promise<ExtractedSplit | undefined> {
  if (!known) return undefined;
  const store = await storeFor(known.keys);
  const current = (key: RepresentationKey) => {
    const entry = store.entry(key);
    return entry?.status === 'complete' && entry.fingerprint === fingerprint;
  };
  return known.keys.every(current) ? withStored(known, store) : undefined;
}

/** @throws XLING_STORE_INCOMPLETE unless `store` holds every key completely. */
function requireComplete(store: RepresentationStore, keys: RepresentationKey[]): void {
  const missing = keys.find((key) => !store.isComplete(key));
  if (missing) {
    throw new XlingError(
      'XLING_STORE_INCOMPLETE',
      `Store '${store.dir}' lacks ${missing.treebank}/${missing.split} layer ${missing.layer}: shards of the stages after extraction need the whole extraction in the store; run 'xling extract <config>' (unsharded, it gathers the extraction shards) first.`,
    );
  }
}

/**
 * Extracts the units of `shard` (with `claims`, those it claims first), each into its own store
 * under `unitsDir`, and marks them done.
 */
async function extractShard(
  config: ExperimentConfig,
  languages: ExperimentLanguage[],
  shard: Shard,
  unitsDir: string,
  context: ExtractContext,
  claims?: UnitClaims,
): Promise<UnitOutcome[]> {
  const { onProgress, signal } = context;
  const all = extractionUnits(config, languages);
  const units = claims ? all : unitsOfShard(all, shard);
  const outcomes: UnitOutcome[] = [];
  for (const [i, unit] of units.entries()) {
    throwIfAborted(signal, 'runExperiment');
    if (claims && !claims.claim('extract', unit.id)) continue;
    onProgress?.({
      status: 'progress',
      task: 'extract',
      label: unit.id,
      done: i,
      total: units.length,
      unit: 'unit',
    });
    let complete = false;
    const files = await splitFiles(unit.treebank, unit.split);
    const extracted = await extractSplit(unit.treebank, unit.split, {
      ...splitOptions(config, context),
      cap: unit.cap,
      storeFor: async (keys) => {
        const chosen = await shardStoreFor(unitsDir, unit.id, keys, context.store);
        complete = chosen.complete;
        return chosen.store;
      },
    });
    await saveSplit(context.splitsDir, unit.id, extracted, files);
    await markUnitDone(unitsDir, unit.id, extracted.keys);
    claims?.finish('extract', unit.id);
    context.extracted.set(unit.id, extracted);
    outcomes.push({ id: unit.id, status: complete ? 'complete' : 'extracted' });
  }
  onProgress?.({ status: 'end', task: 'extract', done: units.length, total: units.length, unit: 'unit' });
  return outcomes;
}

/** Instances from the store holding each split, each entry read once per task and layer. */
function storeSource(
  storeOf: (split: ExtractedSplit) => RepresentationStore,
  modelName: string,
  pooling: Pooling,
): InstanceSource {
  const cache = new Map<string, Promise<InstanceSet>>();
  return (split, language, layer: number, task: ExperimentTask) => {
    if (!split) return undefined;
    const extracted = split as ExtractedSplit;
    const key: RepresentationKey = {
      model: modelName,
      layer,
      pooling,
      treebank: extracted.treebank,
      split: extracted.storeSplit,
    };
    const id = JSON.stringify([key, task]);
    let promise = cache.get(id);
    if (!promise) {
      promise = storeInstances(storeOf(extracted), key, task, {
        fitSplit: extracted.split,
        language,
        forms: extracted.forms,
      });
      cache.set(id, promise);
    }
    return promise;
  };
}
