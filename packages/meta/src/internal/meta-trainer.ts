import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  InvalidArgumentError,
  type ProgressCallback,
  type Tensor,
  XlingError,
  createRng,
  readSafetensors,
  throwIfAborted,
  writeSafetensors,
} from '@xling/core';
import { type Episode, sampleEpisodes } from '../episodes/sample-episodes.js';
import { countLabels } from '../instances/count-labels.js';
import { validLabels } from '../instances/valid-labels.js';
import type { PrototypeSet } from '../prototypes/prototype-set.js';
import { initBackend } from '../tf/init-backend.js';
import { AdamState, cosineLearningRate } from './adam.js';
import { type MatmulEngine, type MetaStepParams, metaStepAsync, phiEmbedAsync } from './meta-step.js';
import { type CheckedInstanceSet, sentenceRows } from './check-instance-set.js';
import { type Matrix64, argminRows, gatherRows, identity, matmul, squaredDistances } from './linalg.js';
import { type PhiParams, applyAdapter, initPhi, mapPrototypes } from './phi.js';

/** The two meta-learning variants of METHOD.md section 5. */
export type MetaVariant = 'zero-shot' | 'few-shot';

/** Hyperparameters shared by both meta-learners (all with METHOD.md defaults, resolved). */
export interface MetaTrainConfig {
  variant: MetaVariant;
  hiddenSize: number;
  dropout: number;
  learningRate: number;
  weightDecay: number;
  /** Maximum epochs. */
  epochs: number;
  /** Epochs without a better validation accuracy after which training stops. */
  patience: number;
  /** Gain of validation accuracy that counts as better for the patience counter. */
  tolerance: number;
  episodesPerLanguage: number;
  validationEpisodesPerLanguage: number;
  supportSize: number;
  querySize: number;
  smoothing: boolean;
  minCount: number;
  orthogonalization: number;
  seed: number;
  engine: MatmulEngine;
  /** onnxruntime intra-op threads of the `ort` engine. */
  threads: number;
}

/** Data of a meta-training run. */
export interface MetaTrainInput {
  source: PrototypeSet;
  languages: Record<string, CheckedInstanceSet>;
  validation: Record<string, CheckedInstanceSet>;
}

/** Side channels of a run. */
export interface MetaTrainControl {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  checkpointDir?: string;
}

/** One epoch of meta-training. */
export interface MetaEpoch {
  epoch: number;
  /** Mean query loss over the epoch's episodes. */
  loss: number;
  /** Mean query accuracy over validation episodes (NaN without validation languages). */
  validationAccuracy: number;
}

/** Learned parameters. */
export interface MetaParameters {
  phi: PhiParams;
  /** Zero-shot: the shared k × k map U (row-major), q_c = U p_c. */
  u?: Float64Array;
  /** Few-shot: per-language adapters A_l (k × k) and biases. */
  adapters?: Record<string, { a: Float64Array; c: Float64Array }>;
}

/** How a meta-training run ended (model selection and early stopping). */
export interface MetaStopping {
  /** The epoch whose parameters were kept (>= 1 once an epoch ran; 0 only when none ran). */
  bestEpoch: number;
  /** Epochs trained (the history's length), at most the `epochs` maximum. */
  epochsRun: number;
  /** `patience` epochs in a row brought no better validation accuracy (the curve plateaued). */
  converged: boolean;
  /** Training ended before the `epochs` maximum because it converged. */
  stoppedEarly: boolean;
}

/** Result of {@link trainMeta}. */
export interface MetaTrainResult extends MetaParameters, MetaStopping {
  history: MetaEpoch[];
  validLabels: Record<string, number[]>;
  resumedFromEpoch: number;
}

/**
 * The patience counter at the end of `history`: epochs since the validation accuracy last rose
 * more than `tolerance` above the level of the previous such rise (0 without validation
 * languages). A pure function of the history, so a resumed run counts exactly as an
 * uninterrupted one.
 */
export function epochsSinceBest(history: readonly MetaEpoch[], tolerance = 0): number {
  let level = Number.NEGATIVE_INFINITY;
  let since = 0;
  for (const e of history) {
    if (Number.isNaN(e.validationAccuracy)) since = 0;
    else if (e.validationAccuracy > level + tolerance) {
      level = e.validationAccuracy;
      since = 0;
    } else since++;
  }
  return since;
}

const CHECKPOINT = 'checkpoint.safetensors';

/** Per-language prototype rows of V(src, l) and the label -> column map. */
interface LanguageTask {
  labels: Int32Array;
  column: Int32Array;
  prototypes: Matrix64;
}

function languageTask(source: PrototypeSet, counts: Int32Array, minCount: number): LanguageTask {
  const sourceRow = new Int32Array(source.numLabels).fill(-1);
  source.labels.forEach((c, i) => {
    sourceRow[c] = i;
  });
  const labels = validLabels(source.counts, counts, { minCount }).filter((c) => sourceRow[c] >= 0);
  const column = new Int32Array(source.numLabels).fill(-1);
  labels.forEach((c, i) => {
    column[c] = i;
  });
  const prototypes = gatherRows(
    source.prototypes,
    labels.map((c) => sourceRow[c]),
    Float64Array,
  );
  return { labels, column, prototypes };
}

/**
 * Builds the float32 query batch of an episode: rows and their prototype rows in V (-1 for
 * labels outside V, which the loss ignores but accuracy counts as errors).
 */
function queryBatch(set: CheckedInstanceSet, sentences: number[], task: LanguageTask) {
  const rows = sentenceRows(set.sentenceOffsets, sentences);
  const target = rows.map((row) => task.column[set.labels[row]]);
  const count = target.reduce((n, col) => (col >= 0 ? n + 1 : n), 0);
  return { x: gatherRows(set.x, rows, Float32Array), target, count };
}

/** Inverted-dropout mask from a seeded stream: 0 with probability p, else 1 / (1 - p). */
function dropoutMask(n: number, h: number, p: number, rng: ReturnType<typeof createRng>): Float32Array {
  const mask = new Float32Array(n * h);
  const keep = 1 / (1 - p);
  // 32 random bits per entry are plenty for a Bernoulli draw; drawn in one buffer (same stream).
  const threshold = p * 4294967296;
  const bits = rng.fillUint32(new Uint32Array(mask.length));
  for (let i = 0; i < mask.length; i++) mask[i] = bits[i] < threshold ? 0 : keep;
  return mask;
}

/**
 * Meta-training loop shared by both learners (METHOD.md section 5): per epoch fresh episodes
 * (50 per language by default, all languages shuffled together), one Adam step per episode on
 * the query loss, cosine decay over all steps, model selection by mean query accuracy on
 * validation-language episodes, a checkpoint after every epoch. Episodes and dropout masks of
 * epoch e depend only on (seed, e), so a run resumed from a checkpoint continues exactly as an
 * uninterrupted one.
 */
export async function trainMeta(
  config: MetaTrainConfig,
  input: MetaTrainInput,
  control: MetaTrainControl,
): Promise<MetaTrainResult> {
  const engine = config.engine;
  if (engine === 'tf') await initBackend();
  const { source, languages, validation } = input;
  const names = Object.keys(languages).sort();
  const d = languages[names[0]].x.cols;
  const k = source.prototypes.cols;
  const h = config.hiddenSize;
  const tasks: Record<string, LanguageTask> = {};
  for (const l of names)
    tasks[l] = languageTask(source, countLabels(languages[l].labels, source.numLabels), config.minCount);
  const validationNames = Object.keys(validation).sort();
  const validationTasks: Record<string, LanguageTask> = {};
  for (const l of validationNames) {
    validationTasks[l] = languageTask(
      source,
      countLabels(validation[l].labels, source.numLabels),
      config.minCount,
    );
  }
  for (const l of names) {
    if (tasks[l].labels.length === 0) {
      throw new InvalidArgumentError(
        `languages.${l}`,
        'fit',
        `must share at least one label with ${config.minCount}+ instances with the source, but shares none.`,
      );
    }
  }

  const rng = createRng(config.seed);
  const phi0 = initPhi(d, h, k, rng.fork('phi'));
  const params: Record<string, Float64Array> = { w1: phi0.w1, b1: phi0.b1, w2: phi0.w2, b2: phi0.b2 };
  if (config.variant === 'zero-shot') params.u = identity(k).data;
  else {
    for (const l of names) {
      params[`adapter.${l}.a`] = identity(k).data;
      params[`adapter.${l}.c`] = new Float64Array(k);
    }
  }
  const adam: Record<string, AdamState> = {};
  for (const [name, p] of Object.entries(params)) adam[name] = new AdamState(p.length);

  const episodesPerEpoch = config.episodesPerLanguage * names.length;
  const totalSteps = config.epochs * episodesPerEpoch;
  let history: MetaEpoch[] = [];
  let best: Record<string, Float64Array> | undefined;
  let bestEpoch = 0;
  let bestAccuracy = Number.NEGATIVE_INFINITY;
  let startEpoch = 1;
  let step = 0;
  // Epochs in a row without a better validation accuracy (the patience counter).
  let sinceBest = 0;
  // Patience only decides where training stops, never what an epoch computes, so it is left out
  // of the checkpoint check: a run stopped early resumes with a larger patience exactly as an
  // uninterrupted run with that patience.
  const {
    engine: _engine,
    threads: _threads,
    patience: _patience,
    tolerance: _tolerance,
    ...configForCheck
  } = config;
  const configJson = JSON.stringify({
    ...configForCheck,
    d,
    k,
    languages: names,
    validation: validationNames,
  });
  const snapshot = (): Record<string, Float64Array> =>
    Object.fromEntries(Object.entries(params).map(([name, p]) => [name, p.slice()]));

  if (control.checkpointDir !== undefined && existsSync(join(control.checkpointDir, CHECKPOINT))) {
    const file = join(control.checkpointDir, CHECKPOINT);
    const { tensors, metadata } = await readSafetensors(file);
    if (metadata.config !== configJson) {
      throw new XlingError(
        'XLING_CHECKPOINT_MISMATCH',
        `The checkpoint ${file} was written with other options or data; remove it or use another checkpointDir.`,
      );
    }
    const state = JSON.parse(metadata.state);
    for (const [name, p] of Object.entries(params)) {
      p.set(tensors[`param.${name}`].data as Float64Array);
      adam[name].m.set(tensors[`adam_m.${name}`].data as Float64Array);
      adam[name].v.set(tensors[`adam_v.${name}`].data as Float64Array);
      adam[name].step = state.steps[name];
    }
    if (state.bestEpoch > 0 && tensors['best.w1'] !== undefined) {
      best = {};
      for (const name of Object.keys(params)) best[name] = tensors[`best.${name}`].data as Float64Array;
    }
    history = state.history.map((e: MetaEpoch) => ({
      ...e,
      validationAccuracy: e.validationAccuracy ?? Number.NaN,
    }));
    bestEpoch = state.bestEpoch;
    bestAccuracy = state.bestAccuracy ?? Number.NEGATIVE_INFINITY;
    sinceBest = epochsSinceBest(history, config.tolerance);
    startEpoch = state.epoch + 1;
    step = state.step;
  }
  const resumedFromEpoch = startEpoch - 1;

  // Validation episodes are drawn once, so every epoch is judged on the same queries.
  const validationEpisodes =
    validationNames.length === 0
      ? []
      : sampleEpisodes(validation, {
          supportSize: config.supportSize,
          querySize: config.querySize,
          episodesPerLanguage: config.validationEpisodesPerLanguage,
          smoothing: config.smoothing,
          seed: config.seed,
          round: 'validation',
          shuffle: false,
        });
  // Only the sentences some validation query uses need embedding.
  const validationRows: Record<string, Int32Array> = {};
  for (const l of validationNames) {
    const used = new Set<number>();
    for (const e of validationEpisodes) if (e.language === l) for (const s of e.query) used.add(s);
    validationRows[l] = sentenceRows(
      validation[l].sentenceOffsets,
      [...used].sort((a, b) => a - b),
    );
  }

  const square = (data: Float64Array): Matrix64 => ({ rows: k, cols: k, data });
  const validate = async (): Promise<number> => {
    if (validationEpisodes.length === 0) return Number.NaN;
    let sum = 0;
    for (const l of validationNames) {
      const set = validation[l];
      const rows = validationRows[l];
      const z = await phiEmbedAsync(
        params as unknown as MetaStepParams,
        gatherRows(set.x, rows, Float32Array),
        engine,
        config.threads,
      );
      const a = params[`adapter.${l}.a`];
      const g = a === undefined ? z : applyAdapter(z, square(a), params[`adapter.${l}.c`]);
      // Scatter back to row numbers of the set (rows no query uses stay zero).
      const embedded: Matrix64 = { rows: set.x.rows, cols: k, data: new Float64Array(set.x.rows * k) };
      for (let r = 0; r < rows.length; r++) embedded.data.set(g.data.subarray(r * k, r * k + k), rows[r] * k);
      const t = validationTasks[l];
      const q = params.u === undefined ? t.prototypes : mapPrototypes(t.prototypes, square(params.u));
      for (const episode of validationEpisodes) {
        if (episode.language === l) sum += episodeAccuracy(episode, set, t, embedded, q);
      }
    }
    return sum / validationEpisodes.length;
  };

  const saveCheckpoint = async (epoch: number): Promise<void> => {
    if (control.checkpointDir === undefined) return;
    const tensors: Record<string, Tensor> = {};
    const steps: Record<string, number> = {};
    for (const [name, p] of Object.entries(params)) {
      tensors[`param.${name}`] = { dtype: 'F64', shape: [p.length], data: p };
      tensors[`adam_m.${name}`] = { dtype: 'F64', shape: [p.length], data: adam[name].m };
      tensors[`adam_v.${name}`] = { dtype: 'F64', shape: [p.length], data: adam[name].v };
      if (best !== undefined) tensors[`best.${name}`] = { dtype: 'F64', shape: [p.length], data: best[name] };
      steps[name] = adam[name].step;
    }
    const state = {
      epoch,
      step,
      steps,
      history,
      bestEpoch,
      bestAccuracy: Number.isFinite(bestAccuracy) ? bestAccuracy : null,
      sinceBest,
    };
    await writeSafetensors(join(control.checkpointDir, CHECKPOINT), tensors, {
      config: configJson,
      state: JSON.stringify(state),
    });
  };

  const { onProgress, signal } = control;
  const beta = config.orthogonalization;
  onProgress?.({ status: 'start', task: 'meta-train', total: totalSteps, unit: 'episode' });
  // Early stopping needs validation languages; without them every epoch runs and the last is kept.
  const plateaued = (): boolean => validationEpisodes.length > 0 && sinceBest >= config.patience;
  for (let epoch = startEpoch; epoch <= config.epochs && !plateaued(); epoch++) {
    const episodes = sampleEpisodes(languages, {
      supportSize: config.supportSize,
      querySize: config.querySize,
      episodesPerLanguage: config.episodesPerLanguage,
      smoothing: config.smoothing,
      smoothingLabels: Object.fromEntries(names.map((l) => [l, tasks[l].labels])),
      seed: config.seed,
      round: `epoch-${epoch}`,
    });
    const dropoutRng = rng.fork(`dropout-${epoch}`);
    const started = performance.now();
    let lossSum = 0;
    let lossCount = 0;
    for (const episode of episodes) {
      throwIfAborted(signal, 'meta-train');
      const lr = cosineLearningRate(config.learningRate, step, totalSteps);
      step++;
      const task = tasks[episode.language];
      const batch = queryBatch(languages[episode.language], episode.query, task);
      if (batch.count === 0) continue;
      const mask = config.dropout > 0 ? dropoutMask(batch.x.rows, h, config.dropout, dropoutRng) : undefined;
      const l = episode.language;
      const stepParams: MetaStepParams =
        config.variant === 'zero-shot'
          ? { w1: params.w1, b1: params.b1, w2: params.w2, b2: params.b2, u: params.u }
          : {
              w1: params.w1,
              b1: params.b1,
              w2: params.w2,
              b2: params.b2,
              a: params[`adapter.${l}.a`],
              c: params[`adapter.${l}.c`],
            };
      const result = await metaStepAsync(
        stepParams,
        { x: batch.x, mask, prototypes: task.prototypes, target: batch.target },
        engine,
        config.threads,
      );
      // Only the parameters this episode touched step (torch skips parameters without a gradient).
      const touched: Array<[string, keyof MetaStepParams]> =
        config.variant === 'zero-shot'
          ? [
              ['w1', 'w1'],
              ['b1', 'b1'],
              ['w2', 'w2'],
              ['b2', 'b2'],
              ['u', 'u'],
            ]
          : [
              ['w1', 'w1'],
              ['b1', 'b1'],
              ['w2', 'w2'],
              ['b2', 'b2'],
              [`adapter.${l}.a`, 'a'],
              [`adapter.${l}.c`, 'c'],
            ];
      for (const [name, key] of touched)
        adam[name].update(params[name], result.grads[key]!, lr, config.weightDecay);
      if (beta !== 0 && params.u !== undefined) orthogonalizeInPlace(params.u, k, beta);
      lossSum += result.loss;
      lossCount++;
      const seconds = (performance.now() - started) / 1000;
      onProgress?.({
        status: 'progress',
        task: 'meta-train',
        label: `epoch ${epoch}`,
        done: step,
        total: totalSteps,
        unit: 'episode',
        metrics: { epoch, loss: lossSum / lossCount, episodesPerSecond: lossCount / Math.max(seconds, 1e-9) },
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const validationAccuracy = await validate();
    // Throughput goes to progress only: saved learners hold no timing, so a rerun (or a shard)
    // writes the same bytes.
    const episodesPerSecond = lossCount / Math.max(seconds, 1e-9);
    const record: MetaEpoch = {
      epoch,
      loss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
      validationAccuracy,
    };
    history.push(record);
    // Selection runs over trained epochs only: the first epoch always replaces the untrained
    // initialisation (bestAccuracy starts at -Infinity), later ones must be strictly better.
    if (Number.isNaN(validationAccuracy)) bestEpoch = epoch;
    else if (validationAccuracy > bestAccuracy) {
      best = snapshot();
      bestAccuracy = validationAccuracy;
      bestEpoch = epoch;
    }
    // The best epoch is kept by strict improvement; patience counts only gains above tolerance.
    sinceBest = epochsSinceBest(history, config.tolerance);
    await saveCheckpoint(epoch);
    onProgress?.({
      status: 'progress',
      task: 'meta-train',
      label: `epoch ${epoch} done`,
      done: step,
      total: totalSteps,
      unit: 'episode',
      metrics: { ...record, episodesPerSecond },
    });
  }
  const epochsRun = history.length;
  const converged = plateaued();
  const stoppedEarly = converged && epochsRun < config.epochs;
  onProgress?.({
    status: 'end',
    task: 'meta-train',
    ...(stoppedEarly
      ? {
          label: `stopped early after epoch ${epochsRun}: no better validation accuracy in ${sinceBest} epochs`,
        }
      : {}),
    done: step,
    total: totalSteps,
    unit: 'episode',
    metrics: { epochsRun, bestEpoch, converged: converged ? 1 : 0, stoppedEarly: stoppedEarly ? 1 : 0 },
  });
  const finalValues = best ?? snapshot();
  const phi: PhiParams = {
    d,
    h,
    k,
    w1: finalValues.w1,
    b1: finalValues.b1,
    w2: finalValues.w2,
    b2: finalValues.b2,
  };
  const result: MetaTrainResult = {
    phi,
    history,
    bestEpoch,
    epochsRun,
    converged,
    stoppedEarly,
    validLabels: Object.fromEntries(names.map((l) => [l, Array.from(tasks[l].labels)])),
    resumedFromEpoch,
  };
  if (config.variant === 'zero-shot') result.u = finalValues.u;
  else {
    result.adapters = {};
    for (const l of names)
      result.adapters[l] = { a: finalValues[`adapter.${l}.a`], c: finalValues[`adapter.${l}.c`] };
  }
  return result;
}

/** U <- (1 + b) U - b U U^T U (the reference's optional orthogonalisation). */
function orthogonalizeInPlace(u: Float64Array, k: number, b: number): void {
  const um: Matrix64 = { rows: k, cols: k, data: u };
  const uutu = matmul(matmul(um, um, { transpose: 'b' }), um).data;
  for (let i = 0; i < u.length; i++) u[i] = (1 + b) * u[i] - b * uutu[i];
}

/** Query accuracy of one episode: nearest of V's (mapped) prototypes; labels outside V are errors. */
function episodeAccuracy(
  episode: Episode,
  set: CheckedInstanceSet,
  task: LanguageTask,
  embedded: Matrix64,
  prototypes: Matrix64,
): number {
  const rows = sentenceRows(set.sentenceOffsets, episode.query);
  if (rows.length === 0) return 0;
  const nearest = argminRows(squaredDistances(gatherRows(embedded, rows, Float64Array), prototypes));
  let correct = 0;
  rows.forEach((row, i) => {
    const col = task.column[set.labels[row]];
    if (col >= 0 && nearest[i] === col) correct++;
  });
  return correct / rows.length;
}
