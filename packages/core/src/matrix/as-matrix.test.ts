import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { asMatrix } from './as-matrix.js';
import { createMatrix, selectRows, toArray2d, transpose } from './matrix.js';
import { fromMlMatrix, toMlMatrix } from './ml-matrix-adapter.js';

describe('asMatrix(x, argument, functionName)', () => {
  it('asMatrix(number[][]) converts to a row-major float64 matrix', () => {
    const m = asMatrix(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      'x',
      'f',
    );
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('asMatrix(ml-matrix) converts and round-trips through toMlMatrix', () => {
    const ml = new MlMatrix([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const m = asMatrix(ml, 'x', 'f');
    expect(toArray2d(m)).toEqual(ml.to2DArray());
    expect(toMlMatrix(m).to2DArray()).toEqual(ml.to2DArray());
    expect(toArray2d(fromMlMatrix(ml))).toEqual(ml.to2DArray());
  });

  it('asMatrix(Matrix) keeps float64 data without copying unless asked', () => {
    const m = createMatrix(1, 2, new Float64Array([1, 2]));
    expect(asMatrix(m, 'x', 'f').data).toBe(m.data);
    expect(asMatrix(m, 'x', 'f', { copy: true }).data).not.toBe(m.data);
    const f32 = createMatrix(1, 2, new Float32Array([1, 2]));
    expect(asMatrix(f32, 'x', 'f').data).toBeInstanceOf(Float64Array);
  });

  it('asMatrix([]) gives a 0 x 0 matrix', () => {
    const m = asMatrix([], 'x', 'f');
    expect([m.rows, m.cols]).toEqual([0, 0]);
  });

  it('asMatrix(ragged) throws XLING_INVALID_ARGUMENT naming the argument and row', () => {
    expect(() => asMatrix([[1, 2], [3]], 'y', 'procrustes')).toThrow(
      /Argument 'y' passed to 'procrustes' must have rows of equal length, but row 0 has 2 and row 1 has 1/,
    );
  });

  it('asMatrix(matrix) finds a non-finite entry at any position (the four-way sum and its tail)', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (let k = 0; k < 11; k++) {
        const data = Float64Array.from({ length: 11 }, (_, i) => i - 5.5);
        data[k] = bad;
        expect(() => asMatrix({ rows: 1, cols: 11, data }, 'x', 'f')).toThrow(`entry [0][${k}] is ${bad}`);
      }
    }
    const finite = Float64Array.from({ length: 11 }, (_, i) => (i - 5) * 3e307);
    expect(asMatrix({ rows: 11, cols: 1, data: finite }, 'x', 'f').data).toBe(finite);
  });

  it('asMatrix(NaN or Infinity) throws unless allowNonFinite', () => {
    expect(() => asMatrix([[1, Number.NaN]], 'x', 'f')).toThrow(/entry \[0\]\[1\] is NaN/);
    expect(() => asMatrix([[Number.POSITIVE_INFINITY]], 'x', 'f')).toThrow(/Infinity/);
    expect(asMatrix([[Number.NaN]], 'x', 'f', { allowNonFinite: true }).rows).toBe(1);
  });

  it('asMatrix(non-matrix) throws XLING_INVALID_ARGUMENT', () => {
    expect(() => asMatrix('nope' as never, 'x', 'f')).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});

describe('matrix helpers', () => {
  it('createMatrix(rows, cols, data) rejects a data length that does not fit', () => {
    expect(() => createMatrix(2, 2, new Float64Array(3))).toThrow(
      /must have rows \* cols = 4 entries, but got 3/,
    );
  });

  it('transpose(m) and selectRows(m, indices) give known answers', () => {
    const m = asMatrix(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      'm',
      't',
    );
    expect(toArray2d(transpose(m))).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(toArray2d(selectRows(m, [2, 0]))).toEqual([
      [5, 6],
      [1, 2],
    ]);
  });
});
