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

// Reports: the versioned result schema
export {
  EXPERIMENT_RESULT_SCHEMA_VERSION,
  type AlignabilityMatrix,
  type ExperimentResult,
  type FewShotCurve,
  type FewShotPoint,
  type GapSummary,
  type IntervalSummary,
  type LayerSweepSeries,
  type PrototypeProjection,
  type RunMetadata,
  type SplitSubstitution,
  type Task,
  type TreebankInfo,
  type ZeroShotScore,
} from './report/experiment-result.js';
export { validateExperimentResult, type ExperimentResultIssue } from './report/validate-experiment-result.js';
export { parseExperimentResult } from './report/parse-experiment-result.js';
export { readExperimentResult } from './report/read-experiment-result.js';

// Reports: rendering and writing
export { renderMarkdownReport } from './report/render-markdown-report.js';
export { renderHtmlReport, type RenderHtmlReportOptions } from './report/render-html-report.js';
export { writeReport, type WriteReportOptions, type WrittenReport } from './report/write-report.js';

// Reports: helpers for charts
export { clusterOrder, type ClusterOrderOptions } from './report/cluster-order.js';
export {
  projectPrototypes,
  type ProjectPrototypesOptions,
  type PrototypeSetInput,
} from './report/project-prototypes.js';
