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
export { seedInterval, type SeedInterval, type SeedIntervalOptions } from './metrics/seed-interval.js';

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
  type ConfusionSummary,
  type ExperimentResult,
  type FewShotCurve,
  type FewShotPoint,
  type GapSummary,
  type IclAccuracy,
  type IclRelation,
  type IclSection,
  type IntervalSummary,
  type LayerSweepSeries,
  type LearningCurve,
  type ProbeSummary,
  type PrototypeProjection,
  type RankCorrelation,
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

// Reports: the charts as standalone SVG (notebooks, pages) and tables as HTML
export {
  alignabilityHeatmapSvg,
  fewShotChartSvg,
  gapChartSvg,
  languageBarsSvg,
  learningCurveSvg,
  lineChartSvg,
  prototypeMapSvg,
  type LineChartOptions,
  type LineSeries,
} from './report/standalone-charts.js';
export { htmlTable } from './report/html-table.js';

// Reports: helpers for charts
export { clusterOrder, type ClusterOrderOptions } from './report/cluster-order.js';
export {
  projectPrototypes,
  type ProjectPrototypesOptions,
  type PrototypeSetInput,
} from './report/project-prototypes.js';

// Experiments: config, languages, stages and the whole run
export { ConfigError, type ConfigProblem } from './experiment/config-error.js';
export {
  DEFAULT_EXPERIMENT_CONFIG,
  DEFAULT_ICL_CONFIG,
  ICL_DEMONSTRATIONS,
  SBATCH_OPTION,
  SLURM_WORD,
  resolveExperimentConfig,
  type ExperimentConfig,
  type ExperimentTask,
  type IclConfig,
} from './experiment/experiment-config.js';
export { loadExperimentConfig } from './experiment/load-experiment-config.js';
export { loadMeasurePlugins } from './experiment/measure-plugins.js';
export { configHash } from './experiment/config-hash.js';
export {
  resolveExperimentLanguages,
  type ExperimentLanguage,
  type ExperimentLanguages,
  type ExperimentRole,
} from './experiment/experiment-languages.js';
export { extractSplit, type ExtractedSplit, type ExtractSplitOptions } from './experiment/extract-split.js';
export { storeInstances } from './experiment/store-instances.js';
export { runAlignability, type RunAlignabilityOptions } from './experiment/run-alignability.js';
export {
  runZeroShot,
  ZERO_SHOT_METHODS,
  type ZeroShotResult,
  type ZeroShotInputs,
  type ZeroShotTarget,
} from './experiment/run-zero-shot.js';
export {
  runFewShot,
  fewShotSeed,
  type FewShotInputs,
  type FewShotTarget,
  type FewShotSeedScores,
  type FewShotUnit,
} from './experiment/run-few-shot.js';
export {
  runExperiment,
  type ExperimentRun,
  type RunExperimentOptions,
  type UnitOutcome,
} from './experiment/run-experiment.js';
// Sharded extraction: units, their shards, and what is done
export {
  checkShard,
  extractionUnits,
  shardOfUnit,
  unitId,
  unitsOfShard,
  type ExtractionUnit,
  type Shard,
} from './experiment/extraction-units.js';
export { extractionStatus, type UnitStatus } from './experiment/extraction-status.js';
export { runStudy } from './experiment/run-study.js';
export { runIcl } from './experiment/run-icl.js';
export { iclStage, iclStageShard, defaultIclLayer, type IclStageInput } from './experiment/icl-stage.js';
export { iclConcepts, type IclConceptsInput } from './experiment/icl-concepts.js';
export type { IclStateTable } from './experiment/icl-states.js';
export { rankCorrelation } from './metrics/rank-correlation.js';
export {
  CACHED_STAGES,
  type CachedStage,
  type RunLayout,
  runLayout,
  STAGE_INPUTS,
  type StageReads,
  UNKEYED_FIELDS,
} from './experiment/run-layout.js';
export type { InstanceSource, StudyData, StudyLanguage, StudySplit } from './experiment/study-data.js';
