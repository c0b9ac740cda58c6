import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { NotFittedError } from '../errors/not-fitted-error.js';
import { describeEstimator } from './conformance/describe-estimator.js';
import { expectClose } from './expect-close.js';
import { randomMatrix } from './random-matrix.js';

describe('expectClose(actual, expected, options)', () => {
  it('passes within rtol/atol and names the worst entry otherwise', () => {
    expect(() => expectClose([1, 2], [1, 2 + 1e-12])).not.toThrow();
    expect(() => expectClose([1, 2], [1, 2.1])).toThrow(/entry 1 of 2 is 2, expected 2.1/);
    expect(() => expectClose([[1, 2]], [[1, 2]])).not.toThrow();
    expect(() => expectClose([1], [1, 2])).toThrow(/shape/);
    expect(() => expectClose([Number.NaN], [0])).toThrow();
  });
});

describe('randomMatrix(rows, cols, seed)', () => {
  it('is reproducible from its seed', () => {
    expect(randomMatrix(3, 4, 1).data).toEqual(randomMatrix(3, 4, 1).data);
    expect(randomMatrix(3, 4, 1).data).not.toEqual(randomMatrix(3, 4, 2).data);
  });
});

/** A minimal estimator (column means) used to exercise the conformance suite itself. */
class ColumnMean {
  private state?: number[];
  fit(x: number[][]): this {
    this.state = x[0].map((_, j) => x.reduce((acc, row) => acc + row[j], 0) / x.length);
    return this;
  }
  get means(): number[] {
    if (!this.state) throw new NotFittedError('ColumnMean');
    return this.state;
  }
  transform(x: number[][]): number[][] {
    const m = this.means;
    return x.map((row) => row.map((v, j) => v - m[j]));
  }
  toJSON() {
    return { kind: 'ColumnMean', version: 1, means: this.means };
  }
  static fromJSON(json: unknown): ColumnMean {
    const j = json as { kind: string; means: number[] };
    if (j.kind !== 'ColumnMean')
      throw new InvalidArgumentError(
        'json',
        'ColumnMean.fromJSON',
        `must have kind 'ColumnMean', but got '${j.kind}'.`,
      );
    const out = new ColumnMean();
    out.state = j.means;
    return out;
  }
}

describeEstimator('ColumnMean', {
  create: () => new ColumnMean(),
  fitArgs: () => [
    [
      [1, 2],
      [3, 4],
    ],
  ],
  fittedGetters: ['means'],
  apply: (e) => e.transform([[0, 0]]),
  fromJSON: ColumnMean.fromJSON,
});
