import * as v from 'valibot';
import { fixedTuple, type Schema, strictObject } from '../schema/strict-schemas.js';

/** The schema version this package writes and reads. */
export const EXPERIMENT_RESULT_SCHEMA_VERSION = 1;

/** How a value is named in a message: numbers as is, containers by kind, strings cut at 60. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Every message of the schema: "must be <what>, but got <value>." or, when absent, "is required (<what>)." */
const expecting =
  (what: string) =>
  (issue: v.BaseIssue<unknown>): string =>
    issue.input === undefined ? `is required (${what}).` : `must be ${what}, but got ${show(issue.input)}.`;

// A report's input is its output (no defaults, no transforms): each helper's type names it once.
const doc = <TSchema extends v.GenericSchema>(
  schema: TSchema,
  description: string,
): Schema<v.InferOutput<TSchema>> => v.pipe(schema, v.description(description));

const string: Schema<string> = v.string(expecting('a string'));
const name: Schema<string> = v.pipe(
  v.string(expecting('a non-empty string')),
  v.nonEmpty(expecting('a non-empty string')),
);
const boolean: Schema<boolean> = v.boolean(expecting('true or false'));
const oneOf = <const TValues extends readonly string[]>(values: TValues): Schema<TValues[number]> =>
  v.picklist(values, expecting(`one of ${values.map((x) => `'${x}'`).join(', ')}`));

interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
}

function describeNumber({ min, max, integer }: NumberRange): string {
  const kind = integer ? 'an integer' : 'a finite number';
  if (min !== undefined && max !== undefined) return `${kind} in [${min}, ${max}]`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

/** A JSON number in a range; its message names the whole constraint, whichever part failed. */
function rangeSchema(range: NumberRange, message: ReturnType<typeof expecting>): Schema<number> {
  let schema: Schema<number> = v.pipe(v.number(message), v.finite(message));
  if (range.integer) schema = v.pipe(schema, v.integer(message));
  if (range.min !== undefined) schema = v.pipe(schema, v.minValue(range.min, message));
  if (range.max !== undefined) schema = v.pipe(schema, v.maxValue(range.max, message));
  return schema;
}
const number = (range: NumberRange = {}) => rangeSchema(range, expecting(describeNumber(range)));
/** `null` marks a value that was not computed; the message says so ("... or null"). */
const numberOrNull = (range: NumberRange = {}): Schema<number | null> =>
  v.nullable(rangeSchema(range, expecting(`${describeNumber(range)} or null`)));

const list = <TItem extends v.GenericSchema>(item: TItem, minLength = 0): Schema<v.InferOutput<TItem>[]> => {
  const schema = v.array(item, expecting('an array'));
  if (minLength === 0) return schema;
  return v.pipe(
    schema,
    v.minLength(
      minLength,
      (issue) => `must hold at least ${minLength} entries, but got ${(issue.input as unknown[]).length}.`,
    ),
  );
};
const object = <const TEntries extends v.ObjectEntries>(
  entries: TEntries,
): Schema<v.InferOutput<v.StrictObjectSchema<TEntries, undefined>>> =>
  strictObject(entries, {
    notObject: (input) =>
      input === undefined ? 'is required (an object).' : `must be an object, but got ${show(input)}.`,
    unknownKey: (known) => `is not a known key (known: ${known}).`,
  });

const unit = number({ min: 0, max: 1 });
const unitOrNull = numberOrNull({ min: 0, max: 1 });
/** A cross-entropy. */
const loss = number({ min: 0 });
const count = number({ integer: true, min: 0 });
const layer = doc(count, 'Model layer (0 = embeddings).');
const names = list(name);
const matrix = (cell: NumberRange) => list(list(numberOrNull(cell)));
const split = oneOf(['train', 'dev', 'test']);
const opt = v.optional;

const taskSchema = doc(
  oneOf(['upos', 'deprel']),
  'The classification task: UPOS tags or dependency relations (given the gold head).',
);

const treebankInfoSchema = object({
  language: doc(name, "Language code, e.g. 'de'."),
  treebank: doc(name, "Treebank id, e.g. 'UD_German-GSD'."),
  resource: opt(doc(oneOf(['high', 'low']), "'high' or 'low' resource, if grouped.")),
  splits: doc(
    object({ train: opt(count), dev: opt(count), test: opt(count) }),
    'Sentences per available split (absent split = not available).',
  ),
});

const splitSubstitutionSchema = object({
  language: name,
  treebank: name,
  used: doc(split, 'The split used instead...'),
  insteadOf: doc(split, '...of this one.'),
  reason: doc(name, "Why, e.g. 'no train split in the offline copy'."),
});

const runMetadataSchema = doc(
  object({
    title: opt(doc(string, "Title of the report ('xling experiment report' when absent).")),
    configHash: doc(name, 'Hash of the normalised config; runs are keyed and resumed by it.'),
    createdAt: doc(name, 'ISO 8601 time the result was assembled.'),
    xlingVersion: opt(doc(string, 'Version of the xling packages that produced it.')),
    model: doc(
      object({
        name: doc(name, "Model name or folder, e.g. 'xlm-roberta-base'."),
        dtype: opt(doc(string, "Weights dtype, e.g. 'fp32'.")),
        hiddenSize: opt(doc(count, 'Hidden size D.')),
        layers: opt(doc(count, 'Number of layers.')),
      }),
      'The model the representations came from.',
    ),
    layer: doc(count, 'The main layer the results refer to (sections carry their own layer too).'),
    pooling: opt(doc(string, "Word pooling over sub-words ('first', 'last' or 'mean').")),
    sourceLanguage: doc(name, 'Source (prototype) language.'),
    seeds: doc(list(number({ integer: true })), 'Every seed the run used.'),
    ud: doc(
      object({
        version: doc(name, "UD release, e.g. '2.14'."),
        treebanks: doc(
          list(treebankInfoSchema),
          'Treebanks used, with sentence counts per split that existed.',
        ),
      }),
      'UD data provenance.',
    ),
    splitSubstitutions: doc(
      list(splitSubstitutionSchema),
      'Declared departures from the standard splits, e.g. dev used for fitting where no train split exists.',
    ),
    resourceGroups: opt(
      doc(object({ low: names, high: names }), 'The resource grouping behind the gap statistics.'),
    ),
    notes: opt(doc(list(string), 'Free-form notes shown in the report.')),
    prototypes: opt(
      doc(
        oneOf(['class-means', 'probe']),
        "Which concept prototypes the alignability matrices compare: 'class-means' (mean vector of each label in the model's space) or 'probe' (W^T mu of each language's own probe).",
      ),
    ),
  }),
  'How the run was configured and which data it saw.',
);

const alignabilityMatrixSchema = object({
  task: taskSchema,
  layer,
  metric: doc(name, "Metric name, e.g. 'procrustes', 'rsa', 'linear-cka'."),
  higherIsBetter: doc(
    boolean,
    'Whether larger values mean more alignable (CKA, RSA) or less (Procrustes disparity).',
  ),
  languages: doc(list(name, 1), 'Row/column languages.'),
  values: doc(matrix({}), 'values[i][j]: metric between languages i and j; null where not computed.'),
  pValues: opt(
    doc(matrix({ min: 0, max: 1 }), 'Permutation-test p-values, same shape; null where not computed.'),
  ),
  permutations: opt(doc(count, 'Number of permutations behind pValues.')),
  control: opt(doc(matrix({}), 'Random-label control: the metric with shuffled labels, same shape.')),
});

const intervalSummarySchema = doc(
  object({
    lower: number(),
    upper: number(),
    alpha: doc(unit, 'Miss rate: 0.05 for a 95% interval.'),
    resamples: opt(doc(count, 'Bootstrap resamples (or seeds) behind it.')),
    standardError: opt(doc(number(), 'Standard deviation of the bootstrap distribution, if recorded.')),
  }),
  'A confidence interval, e.g. the percentile bootstrap interval of an accuracy (over sentences).',
);

const zeroShotScoreSchema = object({
  task: taskSchema,
  layer,
  language: name,
  treebank: opt(string),
  method: doc(
    name,
    "Method id, e.g. 'majority', 'source-classifier', 'unaligned', 'procrustes', 'meta', 'in-language'.",
  ),
  accuracy: doc(unit, 'Word accuracy.'),
  macroF1: opt(doc(unit, 'Macro-F1.')),
  ci: opt(intervalSummarySchema),
  n: doc(count, 'Number of test words.'),
  sentences: opt(doc(count, 'Number of test sentences.')),
});

const fewShotPointSchema = object({
  n: doc(count, 'Number of target-language sentences (shots).'),
  mean: doc(unit, 'Mean accuracy over seeds.'),
  lower: doc(unit, 'Interval over seeds (or bootstrap).'),
  upper: unit,
  seeds: doc(count, 'Number of seeds.'),
  values: opt(doc(list(unit), 'Per-seed accuracies.')),
});

const fewShotCurveSchema = object({
  task: taskSchema,
  layer,
  language: name,
  method: name,
  points: doc(list(fewShotPointSchema, 1), 'One point per support size N.'),
});

const layerSweepSeriesSchema = object({
  task: taskSchema,
  quantity: doc(name, "What was measured, e.g. 'mean linear-cka' or 'procrustes accuracy'."),
  higherIsBetter: doc(boolean, 'Whether larger is better (for marking the best layer).'),
  points: list(object({ layer, value: number(), lower: opt(number()), upper: opt(number()) }), 1),
});

const gapSummarySchema = object({
  task: taskSchema,
  layer: opt(layer),
  method: name,
  metric: opt(doc(string, "What the scores are ('accuracy' when absent).")),
  spread: doc(
    object({
      n: doc(count, 'Number of languages.'),
      mean: number(),
      std: number(),
      min: number(),
      max: number(),
      range: number(),
      q1: number(),
      median: number(),
      q3: number(),
      iqr: number(),
      lowest: opt(string),
      highest: opt(string),
    }),
    'Spread of the scores across languages (accuracySpread).',
  ),
  gap: opt(
    doc(
      object({
        low: names,
        high: names,
        lowMean: number(),
        highMean: number(),
        gap: doc(number(), 'highMean - lowMean: positive when low-resource languages lag behind.'),
        lower: number(),
        upper: number(),
        alpha: unit,
        resamples: count,
      }),
      'High- minus low-resource gap with its interval (resourceGap).',
    ),
  ),
  gapChange: opt(
    doc(
      object({
        baseline: name,
        difference: doc(number(), 'gap(method) - gap(baseline): negative when the method narrows the gap.'),
        lower: number(),
        upper: number(),
        pValue: unit,
      }),
      'Paired change of the gap against a baseline method.',
    ),
  ),
});

const prototypeProjectionSchema = object({
  task: opt(string),
  layer: opt(layer),
  space: opt(doc(string, "Which space the prototypes live in, e.g. 'procrustes-mapped'.")),
  explainedVarianceRatio: doc(
    fixedTuple([unit, unit], expecting('an array of 2')),
    'Share of variance each axis explains.',
  ),
  points: list(object({ language: name, label: name, x: number(), y: number() })),
});

const confusionSummarySchema = object({
  task: taskSchema,
  layer,
  method: name,
  languages: doc(names, 'Languages whose test words are pooled.'),
  labels: doc(names, 'Labels in row/column order.'),
  matrix: doc(list(list(count)), 'matrix[i][j]: words with gold labels[i] predicted as labels[j].'),
  noPrediction: doc(list(count), 'Per gold label: words that got no prediction (no prototype).'),
});

const probeSummarySchema = object({
  task: taskSchema,
  layer,
  language: name,
  treebank: opt(string),
  fitSplit: doc(name, "Split the probe was fitted on ('dev' where the language has no train split)."),
  fitWords: count,
  testWords: numberOrNull({ integer: true, min: 0 }),
  accuracy: doc(unitOrNull, 'Test accuracy of the probe (nearest prototype); null without a test split.'),
  epochsRun: count,
  bestEpoch: doc(count, "The kept epoch (0: the 'class-means' initialisation scored best on dev)."),
  converged: boolean,
  fitLoss: loss,
  uniformLoss: doc(loss, 'ln(number of prototypes): the loss of a uniform guess.'),
  fitAccuracy: unit,
  devAccuracy: unitOrNull,
  majority: doc(unitOrNull, 'Test accuracy of the majority label of the fitting data.'),
  nearestClassMean: doc(unitOrNull, "Test accuracy of the nearest class mean in the model's space."),
  wordLookup: doc(
    unitOrNull,
    'Test accuracy of the word-identity lookup tagger (most frequent label of the form; majority when unseen).',
  ),
  wordLookupCoverage: doc(unitOrNull, 'Share of test words whose form occurs in the fitting data.'),
  controlTask: doc(
    unitOrNull,
    'Test accuracy of the same probe trained and tested on the Hewitt & Liang control task.',
  ),
  // A difference of two accuracies.
  selectivity: doc(numberOrNull({ min: -1, max: 1 }), 'accuracy - controlTask (Hewitt & Liang 2019).'),
  flags: doc(
    list(name),
    'Why this probe deserves a second look (not converged, loss above a uniform guess, below a baseline).',
  ),
});

const learningCurveSchema = object({
  task: taskSchema,
  layer,
  learner: doc(name, "'meta' (zero-shot map) or 'few-shot' (language adapters)."),
  // Empty only when no epoch ran (bestEpoch 0).
  points: list(object({ epoch: count, loss, validationAccuracy: unitOrNull })),
  bestEpoch: doc(count, 'The kept epoch.'),
  converged: doc(boolean, 'Whether early stopping found the validation accuracy had plateaued.'),
});

const demonstrationsSchema = doc(
  oneOf(['source', 'target', 'none']),
  "Where the demonstrations came from: the source language's fitting split, the target's own, or none (k = 0).",
);

const iclAccuracySchema = object({
  task: taskSchema,
  language: name,
  treebank: opt(string),
  demonstrations: demonstrationsSchema,
  k: doc(count, 'Demonstrations per prompt asked for (0 without demonstrations).'),
  effectiveK: doc(
    numberOrNull({ min: 0 }),
    'Mean demonstrations actually in the prompts (fewer where a prompt overflowed the context); null when no sentence was tagged.',
  ),
  runs: doc(count, 'Runs, each with its own demonstration set (1 without demonstrations).'),
  accuracy: doc(
    unitOrNull,
    'Mean token accuracy over runs (punctuation included); null when no sentence fit.',
  ),
  standardError: doc(numberOrNull({ min: 0 }), 'Standard error over runs; null for one run.'),
  perRun: doc(list(unitOrNull), 'Token accuracy of each run.'),
  sentences: doc(count, 'Test sentences.'),
  words: doc(count, 'Test words tagged per run (the first run; skipped sentences left out).'),
  skipped: doc(count, 'Test sentences skipped in the first run: too long even without demonstrations.'),
  majority: doc(unitOrNull, "Accuracy of the demonstration pool's most frequent tag; null without a pool."),
  perWordMajority: doc(
    unitOrNull,
    "Accuracy of each word form's most frequent tag in the pool (the majority tag for unseen forms); null without a pool.",
  ),
  forwardPassesPerWord: doc(numberOrNull({ min: 0 }), 'Decoder passes per tagged word, prefixes included.'),
});

const iclPointSchema = object({
  language: name,
  accuracy: doc(unit, 'ICL accuracy with source-language demonstrations.'),
  alignability: doc(number(), "The target's alignability with the source."),
});

const rankCorrelationSchema = object({
  rho: doc(number({ min: -1, max: 1 }), "Spearman's rank correlation."),
  lower: number({ min: -1, max: 1 }),
  upper: number({ min: -1, max: 1 }),
  alpha: unit,
  resamples: doc(count, 'Bootstrap resamples over languages.'),
});

const iclRelationSchema = object({
  task: taskSchema,
  layer,
  metric: doc(name, "The alignability measure, e.g. 'procrustes'."),
  higherIsBetter: doc(boolean, 'Whether a larger value means more alignable.'),
  prototypes: doc(string, 'What the measure compares.'),
  points: doc(list(iclPointSchema), 'One point per target with both values.'),
  correlation: doc(
    v.nullable(rankCorrelationSchema),
    "Spearman's rho between accuracy and alignability with a percentile bootstrap interval over languages; null with fewer than 3 points or constant values.",
  ),
});

const iclSectionSchema = object({
  model: doc(
    object({
      name: doc(name, 'Decoder folder name.'),
      fingerprint: doc(name, 'sha256 fingerprint of its config, tokenizer and graph.'),
      layers: doc(count, 'Transformer blocks.'),
    }),
    'The decoder.',
  ),
  layers: doc(list(layer, 1), 'hidden_states indices whose tag-position states were analysed.'),
  k: count,
  runs: count,
  scoring: oneOf(['mean', 'sum']),
  labelForm: oneOf(['strings', 'shuffled', 'integers', 'names']),
  labelSet: oneOf(['all', 'seen']),
  maxSentences: count,
  metaLanguages: doc(names, 'Languages the map over the ICL states was meta-trained on.'),
  accuracy: doc(
    list(iclAccuracySchema),
    'Structured-prompting accuracy per task x target x demonstration source.',
  ),
  concepts: doc(
    list(zeroShotScoreSchema),
    "The ICL states as concepts, per task x layer x target x method: 'source-probe' (nearest source prototype, no map), 'meta' (the meta-learned map), 'in-language' (the target's own probe, a ceiling), 'majority' and the other zero-shot methods.",
  ),
  relation: doc(
    list(iclRelationSchema),
    'ICL accuracy against alignability with the source, per task at the first layer.',
  ),
});

/**
 * `report.json`, schema version 1: everything one experiment run produced. Every section but `run`
 * is optional, so a run that only measured alignability is still a valid result. JSON keys are
 * camelCase; numbers are plain JSON numbers; `null` marks a missing value. The types below are
 * inferred from it, and `schemas/report.schema.json` is generated from it.
 */
export const experimentResultSchema = v.pipe(
  object({
    schemaVersion: doc(
      v.literal(EXPERIMENT_RESULT_SCHEMA_VERSION, expecting(String(EXPERIMENT_RESULT_SCHEMA_VERSION))),
      'Always 1 for this layout; readers reject other versions.',
    ),
    run: runMetadataSchema,
    alignability: opt(
      doc(list(alignabilityMatrixSchema), 'Alignability matrices, one per task x layer x metric.'),
    ),
    zeroShot: opt(doc(list(zeroShotScoreSchema), 'Zero-shot scores, one row per task x language x method.')),
    fewShot: opt(
      doc(list(fewShotCurveSchema), 'Few-shot learning curves, one per task x language x method.'),
    ),
    layerSweep: opt(doc(list(layerSweepSeriesSchema), 'Layer sweep: a quantity measured at several layers.')),
    gaps: opt(
      doc(list(gapSummarySchema), 'Spread and low- vs high-resource gap per task x method (gapStatistics).'),
    ),
    projections: opt(
      doc(list(prototypeProjectionSchema), '2-D projections of prototypes (projectPrototypes).'),
    ),
    confusion: opt(
      doc(
        list(confusionSummarySchema),
        'Confusion matrices of zero-shot predictions, pooled over the targets, per task x method.',
      ),
    ),
    probes: opt(
      doc(
        list(probeSummarySchema),
        'Every in-language probe with its convergence record and its controls (baselines, selectivity).',
      ),
    ),
    learningCurves: opt(
      doc(list(learningCurveSchema), "Meta-learners' training curves (one per task x learner)."),
    ),
    icl: opt(
      doc(
        iclSectionSchema,
        'In-context learning with a decoder: accuracy per demonstration source, the tag-position states as concepts, and accuracy against alignability.',
      ),
    ),
    warnings: opt(doc(list(string), 'Problems the run met but survived.')),
  }),
  v.title('xling experiment result (report.json)'),
  v.description(
    'Everything one experiment run produced. Every section but run is optional; null marks a value that was not computed.',
  ),
);

/** The named parts of the result: the types below and the `$defs` of `report.schema.json`. */
export const experimentResultParts = {
  Task: taskSchema,
  RunMetadata: runMetadataSchema,
  TreebankInfo: treebankInfoSchema,
  SplitSubstitution: splitSubstitutionSchema,
  AlignabilityMatrix: alignabilityMatrixSchema,
  ZeroShotScore: zeroShotScoreSchema,
  IntervalSummary: intervalSummarySchema,
  FewShotCurve: fewShotCurveSchema,
  FewShotPoint: fewShotPointSchema,
  LayerSweepSeries: layerSweepSeriesSchema,
  GapSummary: gapSummarySchema,
  PrototypeProjection: prototypeProjectionSchema,
  ConfusionSummary: confusionSummarySchema,
  ProbeSummary: probeSummarySchema,
  LearningCurve: learningCurveSchema,
  IclSection: iclSectionSchema,
  IclAccuracy: iclAccuracySchema,
  IclRelation: iclRelationSchema,
  RankCorrelation: rankCorrelationSchema,
};
type Part<TName extends keyof typeof experimentResultParts> = v.InferOutput<
  (typeof experimentResultParts)[TName]
>;

/** Everything one experiment run produced, as written to `report.json` (see {@link experimentResultSchema}). */
export type ExperimentResult = v.InferOutput<typeof experimentResultSchema>;
/** The classification task: UPOS tags or dependency relations (given the gold head). */
export type Task = Part<'Task'>;
/** Run metadata: how the run was configured and which data it saw. */
export type RunMetadata = Part<'RunMetadata'>;
/** One treebank in the run. */
export type TreebankInfo = Part<'TreebankInfo'>;
/** A split used in place of another. */
export type SplitSubstitution = Part<'SplitSubstitution'>;
/** A language × language alignability matrix for one metric. */
export type AlignabilityMatrix = Part<'AlignabilityMatrix'>;
/** A zero-shot (or ceiling/baseline) score for one task × language × method. */
export type ZeroShotScore = Part<'ZeroShotScore'>;
/** A confidence interval as stored in reports. */
export type IntervalSummary = Part<'IntervalSummary'>;
/** A few-shot learning curve. */
export type FewShotCurve = Part<'FewShotCurve'>;
/** A point of a few-shot curve: accuracy over seeds at N support sentences. */
export type FewShotPoint = Part<'FewShotPoint'>;
/** A quantity across layers (e.g. mean CKA, zero-shot accuracy). */
export type LayerSweepSeries = Part<'LayerSweepSeries'>;
/** Gap statistics of one method (from `gapStatistics`) for one task. */
export type GapSummary = Part<'GapSummary'>;
/** A 2-D projection of prototypes of all languages. */
export type PrototypeProjection = Part<'PrototypeProjection'>;
/** Word counts of gold label (row) × predicted label (column) for one task and method. */
export type ConfusionSummary = Part<'ConfusionSummary'>;
/** One in-language probe (a language × task × layer) beside the baselines every probing study reports. */
export type ProbeSummary = Part<'ProbeSummary'>;
/** A meta-learner's training curve. */
export type LearningCurve = Part<'LearningCurve'>;
/** The in-context learning section. */
export type IclSection = Part<'IclSection'>;
/** Structured-prompting accuracy of one task × target × demonstration source. */
export type IclAccuracy = Part<'IclAccuracy'>;
/** ICL accuracy against alignability with the source, with their rank correlation. */
export type IclRelation = Part<'IclRelation'>;
/** Spearman's rho with a bootstrap interval over languages. */
export type RankCorrelation = Part<'RankCorrelation'>;
