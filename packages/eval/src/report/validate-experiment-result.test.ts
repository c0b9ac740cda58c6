import { describe, expect, it } from 'vitest';
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
