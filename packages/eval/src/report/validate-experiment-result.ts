import {
  EXPERIMENT_RESULT_SCHEMA_VERSION,
  type LearningCurve,
  type ProbeSummary,
} from './experiment-result.js';
import { checkSpec, type SchemaIssue, type Spec, show } from './schema.js';

export type { SchemaIssue as ExperimentResultIssue } from './schema.js';

const str: Spec = { type: 'string' };
const name: Spec = { type: 'string', nonEmpty: true };
const num: Spec = { type: 'number' };
const unit: Spec = { type: 'number', min: 0, max: 1 };
const nullableUnit: Spec = { type: 'nullable', of: unit };
/** A cross-entropy. */
const loss: Spec = { type: 'number', min: 0 };
const count: Spec = { type: 'number', integer: true, min: 0 };
const layer: Spec = { type: 'number', integer: true, min: 0 };
const task: Spec = { type: 'enum', values: ['upos', 'deprel'] };
const split: Spec = { type: 'enum', values: ['train', 'dev', 'test'] };
const names: Spec = { type: 'array', of: name };
const matrix = (cell: Spec): Spec => ({
  type: 'array',
  of: { type: 'array', of: { type: 'nullable', of: cell } },
});
const obj = (fields: Record<string, Spec>, optional: string[] = []): Spec => ({
  type: 'object',
  fields,
  optional,
});

const spread = obj(
  {
    n: count,
    mean: num,
    std: num,
    min: num,
    max: num,
    range: num,
    q1: num,
    median: num,
    q3: num,
    iqr: num,
    lowest: str,
    highest: str,
  },
  ['lowest', 'highest'],
);

const interval = obj(
  { lower: num, upper: num, alpha: { type: 'number', min: 0, max: 1 }, resamples: count, standardError: num },
  ['resamples', 'standardError'],
);

const resultSpec: Spec = obj(
  {
    schemaVersion: { type: 'literal', value: EXPERIMENT_RESULT_SCHEMA_VERSION },
    run: obj(
      {
        title: str,
        configHash: name,
        createdAt: name,
        xlingVersion: str,
        model: obj({ name, dtype: str, hiddenSize: count, layers: count }, ['dtype', 'hiddenSize', 'layers']),
        layer,
        pooling: str,
        sourceLanguage: name,
        seeds: { type: 'array', of: { type: 'number', integer: true } },
        ud: obj({
          version: name,
          treebanks: {
            type: 'array',
            of: obj(
              {
                language: name,
                treebank: name,
                resource: { type: 'enum', values: ['high', 'low'] },
                splits: obj({ train: count, dev: count, test: count }, ['train', 'dev', 'test']),
              },
              ['resource'],
            ),
          },
        }),
        splitSubstitutions: {
          type: 'array',
          of: obj({ language: name, treebank: name, used: split, insteadOf: split, reason: name }),
        },
        resourceGroups: obj({ low: names, high: names }),
        notes: { type: 'array', of: str },
        prototypes: { type: 'enum', values: ['class-means', 'probe'] },
      },
      ['title', 'xlingVersion', 'pooling', 'resourceGroups', 'notes', 'prototypes'],
    ),
    alignability: {
      type: 'array',
      of: obj(
        {
          task,
          layer,
          metric: name,
          higherIsBetter: { type: 'boolean' },
          languages: { type: 'array', of: name, minLength: 1 },
          values: matrix(num),
          pValues: matrix(unit),
          permutations: count,
          control: matrix(num),
        },
        ['pValues', 'permutations', 'control'],
      ),
    },
    zeroShot: {
      type: 'array',
      of: obj(
        {
          task,
          layer,
          language: name,
          treebank: str,
          method: name,
          accuracy: unit,
          macroF1: unit,
          ci: interval,
          n: count,
          sentences: count,
        },
        ['treebank', 'macroF1', 'ci', 'sentences'],
      ),
    },
    fewShot: {
      type: 'array',
      of: obj({
        task,
        layer,
        language: name,
        method: name,
        points: {
          type: 'array',
          minLength: 1,
          of: obj(
            {
              n: count,
              mean: unit,
              lower: unit,
              upper: unit,
              seeds: count,
              values: { type: 'array', of: unit },
            },
            ['values'],
          ),
        },
      }),
    },
    layerSweep: {
      type: 'array',
      of: obj({
        task,
        quantity: name,
        higherIsBetter: { type: 'boolean' },
        points: {
          type: 'array',
          minLength: 1,
          of: obj({ layer, value: num, lower: num, upper: num }, ['lower', 'upper']),
        },
      }),
    },
    gaps: {
      type: 'array',
      of: obj(
        {
          task,
          layer,
          method: name,
          metric: str,
          spread,
          gap: obj({
            low: names,
            high: names,
            lowMean: num,
            highMean: num,
            gap: num,
            lower: num,
            upper: num,
            alpha: unit,
            resamples: count,
          }),
          gapChange: obj({ baseline: name, difference: num, lower: num, upper: num, pValue: unit }),
        },
        ['layer', 'metric', 'gap', 'gapChange'],
      ),
    },
    projections: {
      type: 'array',
      of: obj(
        {
          task: str,
          layer,
          space: str,
          explainedVarianceRatio: { type: 'array', of: unit, length: 2 },
          points: { type: 'array', of: obj({ language: name, label: name, x: num, y: num }) },
        },
        ['task', 'layer', 'space'],
      ),
    },
    confusion: {
      type: 'array',
      of: obj({
        task,
        layer,
        method: name,
        languages: names,
        labels: names,
        matrix: { type: 'array', of: { type: 'array', of: count } },
        noPrediction: { type: 'array', of: count },
      }),
    },
    probes: {
      type: 'array',
      of: obj(
        {
          task,
          layer,
          language: name,
          treebank: str,
          fitSplit: name,
          fitWords: count,
          testWords: { type: 'nullable', of: count },
          accuracy: nullableUnit,
          epochsRun: count,
          bestEpoch: count,
          converged: { type: 'boolean' },
          fitLoss: loss,
          uniformLoss: loss,
          fitAccuracy: unit,
          devAccuracy: nullableUnit,
          majority: nullableUnit,
          nearestClassMean: nullableUnit,
          wordLookup: nullableUnit,
          wordLookupCoverage: nullableUnit,
          controlTask: nullableUnit,
          // A difference of two accuracies.
          selectivity: { type: 'nullable', of: { type: 'number', min: -1, max: 1 } },
          flags: { type: 'array', of: name },
        },
        ['treebank'],
      ),
    },
    learningCurves: {
      type: 'array',
      of: obj({
        task,
        layer,
        learner: name,
        // Empty only when no epoch ran (bestEpoch 0).
        points: {
          type: 'array',
          of: obj({ epoch: count, loss, validationAccuracy: nullableUnit }),
        },
        bestEpoch: count,
        converged: { type: 'boolean' },
      }),
    },
    warnings: { type: 'array', of: str },
  },
  [
    'alignability',
    'zeroShot',
    'fewShot',
    'layerSweep',
    'gaps',
    'projections',
    'confusion',
    'probes',
    'learningCurves',
    'warnings',
  ],
);

/** How far a stored selectivity may be from accuracy - controlTask (rounding of the writer). */
const SELECTIVITY_TOLERANCE = 1e-6;

function checkSquare(value: unknown, languages: number, path: string, issues: SchemaIssue[]): void {
  if (!Array.isArray(value)) return;
  if (value.length !== languages) {
    issues.push({ path, message: `must have ${languages} rows, one per language, but got ${value.length}.` });
    return;
  }
  value.forEach((row, i) => {
    if (Array.isArray(row) && row.length !== languages) {
      issues.push({
        path: `${path}[${i}]`,
        message: `must have ${languages} entries, one per language, but got ${row.length}.`,
      });
    }
  });
}

/**
 * Checks a value against the experiment-result schema (version 1) and lists every problem with
 * the path of the offending key: unknown keys (typos), missing required keys, wrong types, values
 * out of range, alignability matrices whose shape does not match their language list, intervals
 * with `lower > upper`, a probe whose best epoch exceeds its epochs run or whose selectivity is not
 * accuracy − control task, learning curves whose epochs do not increase. An empty list means the value is a valid {@link ExperimentResult}.
 *
 * @param value - a parsed `report.json` or an object about to be written
 * @returns the problems found (at most about 50), in document order
 * @example
 * validateExperimentResult({ schemaVersion: 2 });
 * // [{ path: 'schemaVersion', message: 'must be 1 (the schema this @xling/eval reads), but got 2.' }, ...]
 */
export function validateExperimentResult(value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const version = (value as Record<string, unknown>).schemaVersion;
    if (version !== undefined && version !== EXPERIMENT_RESULT_SCHEMA_VERSION) {
      issues.push({
        path: 'schemaVersion',
        message: `must be ${EXPERIMENT_RESULT_SCHEMA_VERSION} (the schema this @xling/eval reads), but got ${show(version)}.`,
      });
      return issues;
    }
  }
  checkSpec(value, resultSpec, '', issues);
  if (issues.length > 0) return issues;
  const result = value as Record<string, unknown[]>;
  (result.alignability ?? []).forEach((entry, i) => {
    const m = entry as { languages: string[]; values: unknown; pValues?: unknown; control?: unknown };
    const n = m.languages.length;
    for (const key of ['values', 'pValues', 'control'] as const) {
      if (m[key] !== undefined) checkSquare(m[key], n, `alignability[${i}].${key}`, issues);
    }
  });
  const checkOrder = (lower: number, upper: number, path: string) => {
    if (lower > upper)
      issues.push({ path, message: `must have lower <= upper, but got [${lower}, ${upper}].` });
  };
  (result.zeroShot ?? []).forEach((entry, i) => {
    const row = entry as { ci?: { lower: number; upper: number } };
    if (row.ci) checkOrder(row.ci.lower, row.ci.upper, `zeroShot[${i}].ci`);
  });
  (result.fewShot ?? []).forEach((entry, i) => {
    (entry as { points: { lower: number; upper: number }[] }).points.forEach((p, j) => {
      checkOrder(p.lower, p.upper, `fewShot[${i}].points[${j}]`);
    });
  });
  (result.gaps ?? []).forEach((entry, i) => {
    const g = entry as {
      gap?: { lower: number; upper: number };
      gapChange?: { lower: number; upper: number };
    };
    if (g.gap) checkOrder(g.gap.lower, g.gap.upper, `gaps[${i}].gap`);
    if (g.gapChange) checkOrder(g.gapChange.lower, g.gapChange.upper, `gaps[${i}].gapChange`);
  });
  (result.probes ?? []).forEach((entry, i) => {
    const p = entry as ProbeSummary;
    if (p.bestEpoch > p.epochsRun) {
      issues.push({
        path: `probes[${i}].bestEpoch`,
        message: `must be at most epochsRun (${p.epochsRun}), but got ${p.bestEpoch}.`,
      });
    }
    if (p.accuracy !== null && p.controlTask !== null && p.selectivity !== null) {
      const expected = p.accuracy - p.controlTask;
      if (Math.abs(p.selectivity - expected) > SELECTIVITY_TOLERANCE) {
        issues.push({
          path: `probes[${i}].selectivity`,
          message: `must be accuracy - controlTask (${expected}), but got ${p.selectivity}.`,
        });
      }
    }
  });
  (result.learningCurves ?? []).forEach((entry, i) => {
    const c = entry as LearningCurve;
    c.points.forEach((p, j) => {
      if (j > 0 && p.epoch <= c.points[j - 1].epoch) {
        issues.push({
          path: `learningCurves[${i}].points[${j}].epoch`,
          message: `must be greater than the previous point's epoch (${c.points[j - 1].epoch}), but got ${p.epoch}.`,
        });
      }
    });
    const last = c.points.at(-1)?.epoch ?? 0;
    if (c.bestEpoch > last) {
      issues.push({
        path: `learningCurves[${i}].bestEpoch`,
        message: `must be at most the last epoch of the curve (${last}), but got ${c.bestEpoch}.`,
      });
    }
  });
  return issues;
}
