import { describeEstimator, expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { NearestClassMean } from './nearest-class-mean.js';

// Label 0 around (0, 0), label 2 around (10, 0); label 1 absent.
const train = {
  x: { rows: 4, cols: 2, data: Float64Array.from([0, 1, 0, -1, 10, 2, 10, -2]) },
  labels: Int32Array.from([0, 0, 2, 2]),
  numLabels: 3,
};

describeEstimator('NearestClassMean', {
  create: () => new NearestClassMean(),
  fitArgs: () => [train],
  fittedGetters: ['classes', 'means'],
  apply: (m) =>
    m.predict([
      [1, 0],
      [9, 0],
    ]),
  fromJSON: (json) => NearestClassMean.fromJSON(json),
});

describe('NearestClassMean', () => {
  it('NearestClassMean.fit(train) stores the means of the labels present', () => {
    const m = new NearestClassMean().fit(train);
    expect(Array.from(m.classes)).toEqual([0, 2]);
    expectClose(m.means, [0, 0, 10, 0], { rtol: 0, atol: 0 });
  });

  it('NearestClassMean.predict(x) returns the label of the nearest mean, the smaller id on ties', () => {
    const m = new NearestClassMean().fit(train);
    expect(
      Array.from(
        m.predict([
          [1, 5],
          [6, -3],
          [5, 0],
        ]),
      ),
    ).toEqual([0, 2, 0]);
    expect(Array.from(m.predict({ rows: 1, cols: 2, data: Float32Array.of(9, 9) }))).toEqual([2]);
    expect(m.predict({ rows: 0, cols: 2, data: new Float64Array(0) }).length).toBe(0);
  });

  it('NearestClassMean.score(set) counts labels without a class as errors', () => {
    const m = new NearestClassMean().fit(train);
    const test = {
      x: { rows: 4, cols: 2, data: Float64Array.from([1, 0, 9, 0, 9, 1, 0, 1]) },
      labels: Int32Array.from([0, 2, 1, 2]),
      numLabels: 3,
    };
    expect(m.score(test)).toBe(0.5);
    expect(
      m.score({
        x: { rows: 0, cols: 2, data: new Float64Array(0) },
        labels: new Int32Array(0),
        numLabels: 3,
      }),
    ).toBeNaN();
  });

  it('NearestClassMean.predict(x) works across blocks of rows', () => {
    const n = 10_000;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) data[i * 2] = i % 2 === 0 ? 1 : 9;
    const predicted = new NearestClassMean().fit(train).predict({ rows: n, cols: 2, data });
    for (let i = 0; i < n; i++) expect(predicted[i]).toBe(i % 2 === 0 ? 0 : 2);
  });

  it('NearestClassMean.predict(x) throws XLING_NOT_FITTED before fit', () => {
    expect(() => new NearestClassMean().predict([[0, 0]])).toThrow(
      expect.objectContaining({
        code: 'XLING_NOT_FITTED',
        message: expect.stringMatching(/NearestClassMean instance is not fitted/),
      }),
    );
  });

  it('NearestClassMean.predict(x) throws XLING_SHAPE_MISMATCH for another dimension and XLING_INVALID_ARGUMENT for NaN', () => {
    const m = new NearestClassMean().fit(train);
    expect(() => m.predict([[0, 0, 0]])).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/must have 2 columns, but got 3/),
      }),
    );
    expect(() => m.predict([[Number.NaN, 0]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });

  it('NearestClassMean.fit(train) throws XLING_INVALID_ARGUMENT for an empty set', () => {
    expect(() =>
      new NearestClassMean().fit({
        x: { rows: 0, cols: 2, data: new Float64Array(0) },
        labels: new Int32Array(0),
        numLabels: 3,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least one instance/),
      }),
    );
  });

  it('NearestClassMean.fromJSON(json) throws XLING_INVALID_ARGUMENT for inconsistent sizes', () => {
    const json = new NearestClassMean().fit(train).toJSON();
    expect(() => NearestClassMean.fromJSON({ ...json, means: [1] })).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});
