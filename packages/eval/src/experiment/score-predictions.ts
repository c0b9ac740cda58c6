import type { InstanceSet } from '@xling/meta';
import type { IntervalSummary } from '../report/experiment-result.js';
import { bootstrapCi } from '../metrics/bootstrap-ci.js';
import type { SentencePredictions } from '../metrics/labels.js';
import { macroF1 } from '../metrics/macro-f1.js';
import { wordAccuracy } from '../metrics/word-accuracy.js';

/** Scores of one method on one test set. */
export interface PredictionScores {
  accuracy: number;
  macroF1: number;
  ci?: IntervalSummary;
  n: number;
  sentences: number;
}

/**
 * Scores predicted label ids against an instance set's gold labels: word accuracy (a `-1`
 * prediction — no prototype — is wrong), macro-F1, and a percentile bootstrap interval of the
 * accuracy over sentences.
 */
export function scorePredictions(
  test: InstanceSet,
  predicted: Int32Array,
  options: { resamples: number; alpha: number; seed: number },
): PredictionScores {
  const gold = Array.from(test.labels);
  const pred = Array.from(predicted);
  const offsets = test.sentenceOffsets ?? Int32Array.from({ length: gold.length + 1 }, (_, i) => i);
  const sentences: SentencePredictions[] = [];
  for (let s = 0; s + 1 < offsets.length; s++) {
    if (offsets[s + 1] > offsets[s]) {
      sentences.push({
        gold: gold.slice(offsets[s], offsets[s + 1]),
        predicted: pred.slice(offsets[s], offsets[s + 1]),
      });
    }
  }
  const accuracy = wordAccuracy(gold, pred);
  const scores: PredictionScores = {
    accuracy,
    macroF1: macroF1(gold, pred),
    n: gold.length,
    sentences: sentences.length,
  };
  if (options.resamples > 0 && sentences.length > 1) {
    const ci = bootstrapCi(sentences, {
      resamples: options.resamples,
      alpha: options.alpha,
      seed: options.seed,
    });
    scores.ci = { lower: ci.lower, upper: ci.upper, alpha: options.alpha, resamples: options.resamples };
  }
  return scores;
}
