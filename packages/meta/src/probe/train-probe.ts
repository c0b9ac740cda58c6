import { type ProgressCallback, type Rng, throwIfAborted } from '@xling/core';
import { AdamState, cosineLearningRate } from '../internal/adam.js';
import { sentenceRows } from '../internal/check-instance-set.js';
import type { ProbeKernel } from './probe-kernels.js';

/** Fewest Adam steps per epoch with the `converge` schedule. */
const MIN_BATCHES = 8;

/** One epoch of probe training. */
export interface LinearProbeEpoch {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Dev accuracy after the epoch (NaN without dev). */
  devAccuracy: number;
}

/** How a probe is trained: the stopping rule or the reference's fixed schedule. */
export interface ProbeSchedule {
  schedule: 'converge' | 'fixed';
  epochs: number;
  learningRate: number;
  weightDecay: number;
  batchSize: number;
  tolerance: number;
  patience: number;
}

export interface TrainedProbe {
  weights: Float64Array;
  bestEpoch: number;
  /** Dev accuracy of the kept weights (NaN without dev). */
  bestDevAccuracy: number;
  epochsRun: number;
  converged: boolean;
  history: LinearProbeEpoch[];
}

/**
 * Adam over sentence batches (torch semantics). `fixed` runs exactly `epochs` epochs with cosine
 * decay (the reference's schedule); `converge` keeps the learning rate constant and stops once the
 * epoch's mean training loss has not improved by more than `tolerance` for `patience` epochs
 * (sklearn MLP's `tol` / `n_iter_no_change` rule: an absolute tolerance, so a separable set whose
 * loss keeps halving towards 0 also stops), at most `epochs` epochs. The kept weights are those of the
 * epoch with the best dev accuracy, the latest among ties (the last epoch without dev); the initial
 * weights compete as epoch 0 only with `initIsCandidate` and a dev set.
 */
export async function trainProbe(
  kernel: ProbeKernel,
  weights: Float64Array,
  data: {
    sentenceOffsets: Int32Array;
    devAccuracy?: (w: Float64Array) => Promise<number>;
    /** Whether the initial weights compete with the trained epochs (as epoch 0) for the best dev accuracy. */
    initIsCandidate?: boolean;
  },
  schedule: ProbeSchedule,
  rng: Rng,
  report: { onProgress?: ProgressCallback; signal?: AbortSignal },
): Promise<TrainedProbe> {
  const { epochs, learningRate, weightDecay, batchSize, tolerance, patience } = schedule;
  const numSentences = data.sentenceOffsets.length - 1;
  const order = Array.from({ length: numSentences }, (_, i) => i);
  // Converging on a tiny fitting set (a few dozen sentences) must not take hundreds of epochs of
  // one step each: its batches shrink so that an epoch has at least MIN_BATCHES steps.
  const perBatch =
    schedule.schedule === 'converge'
      ? Math.max(1, Math.min(batchSize, Math.ceil(numSentences / MIN_BATCHES)))
      : batchSize;
  const batchesPerEpoch = Math.ceil(numSentences / perBatch);
  const adam = new AdamState(weights.length);
  const history: LinearProbeEpoch[] = [];
  let best = { weights, accuracy: Number.NEGATIVE_INFINITY, epoch: 0 };
  if (data.initIsCandidate && data.devAccuracy)
    best = { weights: weights.slice(), accuracy: await data.devAccuracy(weights), epoch: 0 };
  let bestLoss = Number.POSITIVE_INFINITY;
  let stale = 0;
  let step = 0;
  report.onProgress?.({ status: 'start', task: 'probe', total: epochs, unit: 'epoch' });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    throwIfAborted(report.signal, 'LinearProbe.fit');
    const shuffled = rng.fork(`epoch-${epoch}`).shuffle(order);
    let lossSum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const rows = sentenceRows(data.sentenceOffsets, shuffled.slice(b * perBatch, (b + 1) * perBatch));
      const lr =
        schedule.schedule === 'fixed'
          ? cosineLearningRate(learningRate, step, epochs * batchesPerEpoch)
          : learningRate;
      step++;
      if (rows.length === 0) continue;
      const { loss, grad } = await kernel.step(rows, weights);
      adam.update(weights, grad, lr, weightDecay);
      lossSum += loss;
    }
    const loss = lossSum / batchesPerEpoch;
    const devAccuracy = data.devAccuracy ? await data.devAccuracy(weights) : Number.NaN;
    history.push({ epoch, loss, devAccuracy });
    // Ties go to the later, better-fitted epoch; `!(a < b)` also takes NaN (no dev, or an empty
    // one): then the last epoch is kept.
    if (!(devAccuracy < best.accuracy)) best = { weights: weights.slice(), accuracy: devAccuracy, epoch };
    report.onProgress?.({
      status: 'progress',
      task: 'probe',
      done: epoch,
      total: epochs,
      unit: 'epoch',
      metrics: { loss, devAccuracy },
    });
    if (loss < bestLoss - tolerance) {
      bestLoss = loss;
      stale = 0;
    } else if (schedule.schedule === 'converge' && ++stale >= patience) {
      report.onProgress?.({ status: 'end', task: 'probe', done: epoch, total: epochs, unit: 'epoch' });
      return { ...kept(best), epochsRun: epoch, converged: true, history };
    }
  }
  report.onProgress?.({ status: 'end', task: 'probe', done: epochs, total: epochs, unit: 'epoch' });
  // A fixed schedule counts as converged when its loss had plateaued by the end.
  return {
    ...kept(best),
    epochsRun: epochs,
    converged: stale >= patience,
    history,
  };
}

function kept(best: { weights: Float64Array; accuracy: number; epoch: number }) {
  return { weights: best.weights, bestEpoch: best.epoch, bestDevAccuracy: best.accuracy };
}
