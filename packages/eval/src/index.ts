// Metrics: word-level scores
export { wordAccuracy, type WordAccuracyOptions } from './metrics/word-accuracy.js';
export { macroF1, type MacroF1Options } from './metrics/macro-f1.js';
export {
  confusionMatrix,
  type ConfusionMatrix,
  type ConfusionMatrixOptions,
} from './metrics/confusion-matrix.js';
export type { Label, Prediction, SentencePredictions } from './metrics/labels.js';

// Metrics: bootstrap intervals over sentences
export { bootstrapCi, type BootstrapCiOptions, type ConfidenceInterval } from './metrics/bootstrap-ci.js';
export {
  pairedBootstrap,
  type PairedBootstrapOptions,
  type PairedBootstrapResult,
} from './metrics/paired-bootstrap.js';
export type { SentenceMetric, SentenceMetricOptions } from './metrics/sentence-statistic.js';

// Metrics: gaps between languages
export {
  accuracySpread,
  type AccuracySpread,
  type AccuracySpreadOptions,
} from './metrics/accuracy-spread.js';
export {
  resourceGap,
  type ResourceGap,
  type ResourceGapOptions,
  type ResourceGroups,
} from './metrics/resource-gap.js';
export {
  gapStatistics,
  type GapChange,
  type GapStatisticsOptions,
  type MethodGapStatistics,
} from './metrics/gap-statistics.js';
