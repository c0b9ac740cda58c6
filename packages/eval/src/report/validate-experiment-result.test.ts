import { describe, expect, it } from 'vitest';
import type { ProbeSummary } from './experiment-result.js';
import { parseExperimentResult } from './parse-experiment-result.js';
import { syntheticResult } from './synthetic-result.js';
import { validateExperimentResult } from './validate-experiment-result.js';

const clone = () =>
  JSON.parse(JSON.stringify(syntheticResult())) as Record<string, unknown> &
    ReturnType<typeof syntheticResult>;

describe('validateExperimentResult', () => {
  it('validateExperimentResult(result) accepts the synthetic result and its JSON round trip', () => {
    expect(validateExperimentResult(syntheticResult())).toEqual([]);
    expect(validateExperimentResult(clone())).toEqual([]);
  });

  it('validateExperimentResult(minimal) accepts a result with only run metadata', () => {
    const { run } = syntheticResult();
    expect(validateExperimentResult({ schemaVersion: 1, run })).toEqual([]);
  });

  it('validateExperimentResult(value) names a wrong schemaVersion', () => {
    const value = { ...clone(), schemaVersion: 2 };
    expect(validateExperimentResult(value)).toEqual([
      { path: 'schemaVersion', message: 'must be 1 (the schema this @xling/eval reads), but got 2.' },
    ]);
  });

  it('validateExperimentResult(value) names the bad key, a missing key and an unknown key', () => {
    const value = clone();
    (value.zeroShot as { accuracy: unknown }[])[3].accuracy = 1.5;
    delete (value.run as { configHash?: string }).configHash;
    (value.run as unknown as Record<string, unknown>).modle = 'typo';
    const issues = validateExperimentResult(value);
    expect(issues).toContainEqual({
      path: 'zeroShot[3].accuracy',
      message: 'must be a finite number in [0, 1], but got 1.5.',
    });
    expect(issues).toContainEqual({ path: 'run.configHash', message: 'is required (a non-empty string).' });
    expect(issues.find((i) => i.path === 'run.modle')?.message).toMatch(
      /is not a known key \(known: title, configHash/,
    );
  });

  it('validateExperimentResult(value) checks matrix shapes against the language list and interval order', () => {
    const value = clone();
    value.alignability![0].values.pop();
    value.alignability![1].control![2] = [0.1];
    value.fewShot![0].points[1].lower = 0.99;
    value.fewShot![0].points[1].upper = 0.5;
    const issues = validateExperimentResult(value);
    expect(issues).toContainEqual({
      path: 'alignability[0].values',
      message: 'must have 8 rows, one per language, but got 7.',
    });
    expect(issues).toContainEqual({
      path: 'alignability[1].control[2]',
      message: 'must have 8 entries, one per language, but got 1.',
    });
    expect(issues).toContainEqual({
      path: 'fewShot[0].points[1]',
      message: 'must have lower <= upper, but got [0.99, 0.5].',
    });
  });

  it('validateExperimentResult(value) rejects NaN, wrong enums and non-objects', () => {
    const value = clone();
    (value.layerSweep![0].points[0] as { value: number }).value = Number.NaN;
    (value.zeroShot![0] as { task: string }).task = 'pos';
    const issues = validateExperimentResult(value);
    expect(issues).toContainEqual({
      path: 'layerSweep[0].points[0].value',
      message: 'must be a finite number, but got NaN.',
    });
    expect(issues).toContainEqual({
      path: 'zeroShot[0].task',
      message: `must be one of 'upos', 'deprel', but got "pos".`,
    });
    expect(validateExperimentResult(null)).toEqual([
      { path: '', message: 'must be an object, but got null.' },
    ]);
    expect(validateExperimentResult([])[0].message).toBe('must be an object, but got an array of 0.');
  });
});

describe('validateExperimentResult on the schema edges', () => {
  it('validateExperimentResult(value) names every unknown key, a two-axis projection of the wrong length and a list for an object', () => {
    const value = clone();
    Object.assign(value.run as object, { a: 1, b: 2 });
    (value.projections![0] as { explainedVarianceRatio: number[] }).explainedVarianceRatio = [0.5, 0.2, 0.1];
    (value.run as unknown as Record<string, unknown>).model = ['m'];
    expect(validateExperimentResult(value)).toEqual([
      { path: 'run.model', message: 'must be an object, but got an array of 1.' },
      { path: 'run.a', message: expect.stringMatching(/^is not a known key \(known: title, configHash, /) },
      { path: 'run.b', message: expect.stringMatching(/^is not a known key/) },
      {
        path: 'projections[0].explainedVarianceRatio',
        message: 'must be an array of 2, but got an array of 3.',
      },
    ]);
  });

  it('validateExperimentResult(value) stops at 50 problems', () => {
    const value = clone();
    const values = value.alignability![0].values as unknown[][];
    for (const row of values) row.fill('x');
    expect(values.length * values[0].length).toBe(64);
    const issues = validateExperimentResult(value);
    expect(issues).toHaveLength(50);
    expect(issues[49]).toEqual({
      path: 'alignability[0].values[6][1]',
      message: 'must be a finite number or null, but got "x".',
    });
  });
});

describe('validateExperimentResult on probes, learning curves and prototypes', () => {
  it('validateExperimentResult(value) accepts a result without the new sections and nulls where allowed', () => {
    const value = clone();
    delete (value as Partial<typeof value>).probes;
    delete (value as Partial<typeof value>).learningCurves;
    delete (value.run as Partial<typeof value.run>).prototypes;
    expect(validateExperimentResult(value)).toEqual([]);
    const nulls = clone();
    Object.assign(nulls.probes![0], {
      testWords: null,
      accuracy: null,
      devAccuracy: null,
      majority: null,
      nearestClassMean: null,
      wordLookup: null,
      wordLookupCoverage: null,
      controlTask: null,
      selectivity: null,
    });
    nulls.learningCurves![0].points[0].validationAccuracy = null;
    expect(validateExperimentResult(nulls)).toEqual([]);
  });

  it('validateExperimentResult(value) names a probe accuracy out of range, a missing field and an unknown key', () => {
    const value = clone();
    (value.probes![2] as { accuracy: unknown }).accuracy = 1.5;
    delete (value.probes![0] as Partial<ProbeSummary>).fitLoss;
    (value.probes![1] as unknown as Record<string, unknown>).selectivty = 0.3;
    (value.probes![3] as { flags: unknown }).flags = ['ok', ''];
    const issues = validateExperimentResult(value);
    expect(issues).toContainEqual({
      path: 'probes[2].accuracy',
      message: 'must be a finite number in [0, 1] or null, but got 1.5.',
    });
    expect(issues).toContainEqual({
      path: 'probes[0].fitLoss',
      message: 'is required (a finite number >= 0).',
    });
    expect(issues.find((i) => i.path === 'probes[1].selectivty')?.message).toMatch(
      /is not a known key \(known: task, layer, language/,
    );
    expect(issues).toContainEqual({
      path: 'probes[3].flags[1]',
      message: 'must be a non-empty string, but got "".',
    });
  });

  it('validateExperimentResult(value) checks a probe best epoch and its selectivity against accuracy - controlTask', () => {
    const value = clone();
    value.probes![0].bestEpoch = value.probes![0].epochsRun + 1;
    value.probes![1].selectivity = 0.5;
    const issues = validateExperimentResult(value);
    expect(issues).toContainEqual({
      path: 'probes[0].bestEpoch',
      message: `must be at most epochsRun (${value.probes![0].epochsRun}), but got ${value.probes![0].epochsRun + 1}.`,
    });
    expect(issues.find((i) => i.path === 'probes[1].selectivity')?.message).toMatch(
      /^must be accuracy - controlTask \(0\.\d+\), but got 0\.5\.$/,
    );
  });

  it('validateExperimentResult(value) checks learning curves and run.prototypes', () => {
    const value = clone();
    const curve = value.learningCurves![0];
    curve.points[3].epoch = 2;
    curve.points[4].loss = -1;
    (curve.points[5] as { validationAccuracy: unknown }).validationAccuracy = 70;
    value.learningCurves![1].bestEpoch = 99;
    (value.run as { prototypes: unknown }).prototypes = 'means';
    const issues = validateExperimentResult(value);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'run.prototypes', message: `must be one of 'class-means', 'probe', but got "means".` },
        {
          path: 'learningCurves[0].points[4].loss',
          message: 'must be a finite number >= 0, but got -1.',
        },
        {
          path: 'learningCurves[0].points[5].validationAccuracy',
          message: 'must be a finite number in [0, 1] or null, but got 70.',
        },
      ]),
    );
    // Shape problems first; the epoch order is checked once the types are right.
    curve.points[4].loss = 1;
    curve.points[5].validationAccuracy = 0.7;
    (value.run as { prototypes: unknown }).prototypes = 'class-means';
    expect(validateExperimentResult(value)).toEqual([
      {
        path: 'learningCurves[0].points[3].epoch',
        message: "must be greater than the previous point's epoch (3), but got 2.",
      },
      {
        path: 'learningCurves[1].bestEpoch',
        message: 'must be at most the last epoch of the curve (12), but got 99.',
      },
    ]);
    value.learningCurves![1] = { ...value.learningCurves![1], points: [], bestEpoch: 0 };
    curve.points[3].epoch = 4;
    expect(validateExperimentResult(value)).toEqual([]);
  });
});

describe('parseExperimentResult', () => {
  it('parseExperimentResult(value) throws XLING_INVALID_ARGUMENT naming the first bad key', () => {
    const value = clone();
    (value.zeroShot as { n: unknown }[])[0].n = -1;
    (value.zeroShot as { n: unknown }[])[1].n = 'x';
    expect(() => parseExperimentResult(value, 'writeReport')).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', argument: 'result.zeroShot[0].n' }),
    );
    expect(() => parseExperimentResult(value, 'writeReport')).toThrow(
      "Argument 'result.zeroShot[0].n' passed to 'writeReport' must be an integer >= 0, but got -1. (1 more problem)",
    );
  });

  it('parseExperimentResult(valid) returns the same object', () => {
    const value = syntheticResult();
    expect(parseExperimentResult(value)).toBe(value);
  });
});
