import { describeEstimator } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { MajorityClass } from './majority-class.js';

const train = { x: [[0], [1], [2], [3]], labels: Int32Array.from([2, 1, 2, 0]), numLabels: 3 };
const asSet = { ...train, x: { rows: 4, cols: 1, data: Float64Array.from([0, 1, 2, 3]) } };

describeEstimator('MajorityClass', {
  create: () => new MajorityClass(),
  fitArgs: () => [asSet],
  fittedGetters: ['label'],
  apply: (m) => m.predict([[5], [6]]),
  fromJSON: (json) => MajorityClass.fromJSON(json),
});

describe('MajorityClass', () => {
  it('fit(train).score(test) predicts the most frequent training label', () => {
    const m = new MajorityClass().fit(asSet);
    expect(m.label).toBe(2);
    expect(m.score(asSet)).toBe(0.5);
  });

  it('fit(train) throws XLING_INVALID_ARGUMENT for an empty set', () => {
    expect(() =>
      new MajorityClass().fit({
        x: { rows: 0, cols: 1, data: new Float64Array(0) },
        labels: new Int32Array(0),
        numLabels: 3,
      }),
    ).toThrow(/at least one instance/);
  });
});
