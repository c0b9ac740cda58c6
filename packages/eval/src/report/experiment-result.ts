import type { AccuracySpread } from '../metrics/accuracy-spread.js';
import type { GapChange } from '../metrics/gap-statistics.js';
import type { ResourceGap } from '../metrics/resource-gap.js';

/** The schema version this package writes and reads. */
export const EXPERIMENT_RESULT_SCHEMA_VERSION = 1;

/** The classification task: UPOS tags or dependency relations (given the gold head). */
export type Task = 'upos' | 'deprel';

/**
 * Everything one experiment run produced, as written to `report.json` (schema version 1). Every
 * section but `run` is optional, so a run that only measured alignability is still a valid result.
 * JSON keys are camelCase; numbers are plain JSON numbers; `null` marks a missing value.
 */
export interface ExperimentResult {
  /** Always 1 for this layout; readers reject other versions. */
  schemaVersion: 1;
  /** How the run was configured and which data it saw. */
  run: RunMetadata;
  /** Alignability matrices, one per task × layer × metric. */
  alignability?: AlignabilityMatrix[];
  /** Zero-shot scores, one row per task × language × method. */
  zeroShot?: ZeroShotScore[];
  /** Few-shot learning curves, one per task × language × method. */
  fewShot?: FewShotCurve[];
  /** Layer sweep: a quantity measured at several layers. */
  layerSweep?: LayerSweepSeries[];
  /** Spread and low- vs high-resource gap per task × method (from `gapStatistics`). */
  gaps?: GapSummary[];
  /** 2-D projections of prototypes (from `projectPrototypes`). */
  projections?: PrototypeProjection[];
  /** Confusion matrices of zero-shot predictions, pooled over the targets, per task × method. */
  confusion?: ConfusionSummary[];
  /** Every in-language probe with its convergence record and its controls (baselines, selectivity). */
  probes?: ProbeSummary[];
  /** Meta-learners' training curves (one per task × learner). */
  learningCurves?: LearningCurve[];
  /** Problems the run met but survived (returned instead of printed). */
  warnings?: string[];
}

/** Word counts of gold label (row) × predicted label (column) for one task and method. */
export interface ConfusionSummary {
  task: Task;
  layer: number;
  method: string;
  /** Languages whose test words are pooled. */
  languages: string[];
  /** Labels in row/column order. */
  labels: string[];
  /** `matrix[i][j]`: words with gold `labels[i]` predicted as `labels[j]`. */
  matrix: number[][];
  /** Per gold label: words that got no prediction (no prototype). */
  noPrediction: number[];
}

/** Run metadata. */
export interface RunMetadata {
  /** Title of the report. @defaultValue 'xling experiment report' when absent */
  title?: string;
  /** Hash of the normalised config; runs are keyed and resumed by it. */
  configHash: string;
  /** ISO 8601 time the result was assembled. */
  createdAt: string;
  /** Version of the xling packages that produced it. */
  xlingVersion?: string;
  /** The model the representations came from. */
  model: {
    /** Model name or folder, e.g. `'xlm-roberta-base'`. */
    name: string;
    /** Weights dtype, e.g. `'fp32'`. */
    dtype?: string;
    /** Hidden size D. */
    hiddenSize?: number;
    /** Number of layers. */
    layers?: number;
  };
  /** The main layer the results refer to (sections carry their own `layer` too). */
  layer: number;
  /** Word pooling over sub-words (`'first' | 'last' | 'mean'`). */
  pooling?: string;
  /** Source (prototype) language. */
  sourceLanguage: string;
  /** Every seed the run used. */
  seeds: number[];
  /** UD data provenance. */
  ud: {
    /** UD release, e.g. `'2.14'`. */
    version: string;
    /** Treebanks used, with sentence counts per split that existed. */
    treebanks: TreebankInfo[];
  };
  /** Declared departures from the standard splits, e.g. dev used for fitting where no train split exists. */
  splitSubstitutions: SplitSubstitution[];
  /** The resource grouping behind the gap statistics. */
  resourceGroups?: { low: string[]; high: string[] };
  /** Free-form notes shown in the report. */
  notes?: string[];
  /**
   * Which concept prototypes the alignability matrices compare: `'class-means'` (mean vector of
   * each label in the model's space) or `'probe'` (W^T mu of each language's own probe).
   */
  prototypes?: 'class-means' | 'probe';
}

/** One in-language probe (a language × task × layer) beside the baselines every probing study reports. */
export interface ProbeSummary {
  task: Task;
  layer: number;
  language: string;
  treebank?: string;
  /** Split the probe was fitted on (`'dev'` where the language has no train split). */
  fitSplit: string;
  /** Fitting and test words. */
  fitWords: number;
  testWords: number | null;
  /** Test accuracy of the probe (nearest prototype); null without a test split. */
  accuracy: number | null;
  /** How the fit went (see @xling/meta's LinearProbeDiagnostics). */
  epochsRun: number;
  bestEpoch: number;
  converged: boolean;
  fitLoss: number;
  /** ln(number of prototypes): the loss of a uniform guess. */
  uniformLoss: number;
  fitAccuracy: number;
  devAccuracy: number | null;
  /** Test accuracy of the majority label of the fitting data. */
  majority: number | null;
  /** Test accuracy of the nearest class mean in the model's space. */
  nearestClassMean: number | null;
  /** Test accuracy of the word-identity lookup tagger (most frequent label of the form; majority when unseen). */
  wordLookup: number | null;
  /** Share of test words whose form occurs in the fitting data. */
  wordLookupCoverage: number | null;
  /** Test accuracy of the same probe trained and tested on the Hewitt & Liang control task. */
  controlTask: number | null;
  /** accuracy - controlTask (Hewitt & Liang 2019). */
  selectivity: number | null;
  /** Why this probe deserves a second look (not converged, loss above a uniform guess, below a baseline). */
  flags: string[];
}

/** A meta-learner's training curve. */
export interface LearningCurve {
  task: Task;
  layer: number;
  /** `'meta'` (zero-shot map) or `'few-shot'` (language adapters). */
  learner: string;
  points: { epoch: number; loss: number; validationAccuracy: number | null }[];
  /** The kept epoch. */
  bestEpoch: number;
  /** Whether early stopping found the validation accuracy had plateaued. */
  converged: boolean;
}

/** One treebank in the run. */
export interface TreebankInfo {
  /** Language code, e.g. `'de'`. */
  language: string;
  /** Treebank id, e.g. `'UD_German-GSD'`. */
  treebank: string;
  /** `'high'` or `'low'` resource, if grouped. */
  resource?: 'high' | 'low';
  /** Sentences per available split (absent split = not available). */
  splits: { train?: number; dev?: number; test?: number };
}

/** A split used in place of another. */
export interface SplitSubstitution {
  language: string;
  treebank: string;
  /** The split used instead… */
  used: 'train' | 'dev' | 'test';
  /** …of this one. */
  insteadOf: 'train' | 'dev' | 'test';
  /** Why, e.g. `'no train split in the offline copy'`. */
  reason: string;
}

/** A language × language alignability matrix for one metric. */
export interface AlignabilityMatrix {
  task: Task;
  layer: number;
  /** Metric name, e.g. `'procrustes'`, `'rsa'`, `'linear-cka'`. */
  metric: string;
  /** Whether larger values mean more alignable (CKA, RSA) or less (Procrustes disparity). */
  higherIsBetter: boolean;
  /** Row/column languages. */
  languages: string[];
  /** `values[i][j]`: metric between languages i and j; `null` where not computed. */
  values: (number | null)[][];
  /** Permutation-test p-values, same shape; `null` where not computed. */
  pValues?: (number | null)[][];
  /** Number of permutations behind `pValues`. */
  permutations?: number;
  /** Random-label control: the metric with shuffled labels, same shape. */
  control?: (number | null)[][];
}

/** A zero-shot (or ceiling/baseline) score for one task × language × method. */
export interface ZeroShotScore {
  task: Task;
  layer: number;
  language: string;
  treebank?: string;
  /** Method id, e.g. `'majority'`, `'source-classifier'`, `'unaligned'`, `'procrustes'`, `'meta'`, `'in-language'`. */
  method: string;
  /** Word accuracy in [0, 1]. */
  accuracy: number;
  /** Macro-F1 in [0, 1]. */
  macroF1?: number;
  /** Percentile bootstrap interval of the accuracy (over sentences). */
  ci?: IntervalSummary;
  /** Number of test words. */
  n: number;
  /** Number of test sentences. */
  sentences?: number;
}

/** A confidence interval as stored in reports. */
export interface IntervalSummary {
  lower: number;
  upper: number;
  /** Miss rate: 0.05 for a 95% interval. */
  alpha: number;
  /** Bootstrap resamples (or seeds) behind it. */
  resamples?: number;
  /** Standard deviation of the bootstrap distribution, if recorded. */
  standardError?: number;
}

/** A few-shot learning curve. */
export interface FewShotCurve {
  task: Task;
  layer: number;
  language: string;
  method: string;
  /** One point per support size N. */
  points: FewShotPoint[];
}

/** A point of a few-shot curve: accuracy over seeds at N support sentences. */
export interface FewShotPoint {
  /** Number of target-language sentences (shots). */
  n: number;
  /** Mean accuracy over seeds. */
  mean: number;
  /** Interval over seeds (or bootstrap). */
  lower: number;
  upper: number;
  /** Number of seeds. */
  seeds: number;
  /** Per-seed accuracies, optional. */
  values?: number[];
}

/** A quantity across layers (e.g. mean CKA, zero-shot accuracy). */
export interface LayerSweepSeries {
  task: Task;
  /** What was measured, e.g. `'mean linear-cka'` or `'procrustes accuracy'`. */
  quantity: string;
  /** Whether larger is better (for marking the best layer). */
  higherIsBetter: boolean;
  points: { layer: number; value: number; lower?: number; upper?: number }[];
}

/** Gap statistics of one method (from `gapStatistics`) for one task. */
export interface GapSummary {
  task: Task;
  layer?: number;
  method: string;
  /** What the scores are, e.g. `'accuracy'`. @defaultValue 'accuracy' */
  metric?: string;
  spread: AccuracySpread;
  gap?: ResourceGap;
  gapChange?: GapChange;
}

/** A 2-D projection of prototypes of all languages. */
export interface PrototypeProjection {
  task?: string;
  layer?: number;
  /** Which space the prototypes live in, e.g. `'procrustes-mapped'`. */
  space?: string;
  /** Share of variance each axis explains. */
  explainedVarianceRatio: [number, number];
  points: { language: string; label: string; x: number; y: number }[];
}
