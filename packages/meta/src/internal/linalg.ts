import { type Matrix, type MatrixData, ShapeMismatchError } from '@xling/core';

// The small dense kernels of @xling/meta, on core's row-major `Matrix`. Every entry of a product
// is summed in ascending order of the inner index, starting from 0 (or from the entry of
// `into`), whichever loop order computes it: results are the same bits as the plain
// triple loop, so the loop order can follow the memory layout.

/** The float64 matrices the kernels return. */
export type Matrix64 = Matrix<Float64Array>;

/** Which operand of {@link matmul} is used transposed. */
export type Transpose = 'none' | 'a' | 'b';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /**
   * `'a'`: a^T b with `a` stored k × m; `'b'`: a b^T with `b` stored n × k.
   * @defaultValue 'none'
   */
  transpose?: Transpose;
  /** Adds the product to this m × n matrix (returned) instead of to a new zero one. */
  into?: Matrix64;
}

/** Shape (rows, inner, cols) of op(a) op(b). */
function productShape(a: Matrix, b: Matrix, transpose: Transpose): [number, number, number] {
  const [m, inner] = transpose === 'a' ? [a.cols, a.rows] : [a.rows, a.cols];
  const [bInner, n] = transpose === 'b' ? [b.cols, b.rows] : [b.rows, b.cols];
  if (bInner !== inner)
    throw new ShapeMismatchError('b', 'matmul', `inner dimension ${inner}`, String(bInner));
  return [m, inner, n];
}

/**
 * op(a) op(b), added to `into` when given. The loops run over contiguous memory of both the
 * output and the right operand (i-p-j; a dot product per entry for `transpose: 'b'`), and skip
 * zero entries of `a`, which adds nothing for finite operands.
 */
export function matmul(a: Matrix, b: Matrix, { transpose = 'none', into }: MatmulOptions = {}): Matrix64 {
  const [m, inner, n] = productShape(a, b, transpose);
  const out = into ?? { rows: m, cols: n, data: new Float64Array(m * n) };
  if (out.rows !== m || out.cols !== n)
    throw new ShapeMismatchError('into', 'matmul', `${m} × ${n}`, `${out.rows} × ${out.cols}`);
  const { data: x } = a;
  const { data: y } = b;
  const c = out.data;
  if (transpose === 'b') {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = c[i * n + j];
        for (let p = 0; p < inner; p++) s += x[i * inner + p] * y[j * inner + p];
        c[i * n + j] = s;
      }
  } else if (transpose === 'a') {
    // a is inner × m: row i of a scatters into every row of the output.
    for (let i = 0; i < inner; i++)
      for (let p = 0; p < m; p++) {
        const av = x[i * m + p];
        if (av === 0) continue;
        for (let j = 0; j < n; j++) c[p * n + j] += av * y[i * n + j];
      }
  } else {
    for (let i = 0; i < m; i++)
      for (let p = 0; p < inner; p++) {
        const av = x[i * inner + p];
        if (av === 0) continue;
        for (let j = 0; j < n; j++) c[i * n + j] += av * y[p * n + j];
      }
  }
  return out;
}

/** Adds `v` (length cols) to every row of `m`, in place. */
export function addRowInPlace(m: Matrix64, v: ArrayLike<number>): Matrix64 {
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] += v[j];
  return m;
}

/** An n × v.length matrix whose every row is `v`. */
export function repeatRow(v: ArrayLike<number>, n: number): Matrix64 {
  const cols = v.length;
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) data.set(v, i * cols);
  return { rows: n, cols, data };
}

/** Column sums of `m` (rows in order), added to `into` when given. */
export function columnSums(m: Matrix, into: Float64Array = new Float64Array(m.cols)): Float64Array {
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) into[j] += data[i * cols + j];
  return into;
}

/** The k × k identity. */
export function identity(k: number): Matrix64 {
  const data = new Float64Array(k * k);
  for (let i = 0; i < k; i++) data[i * k + i] = 1;
  return { rows: k, cols: k, data };
}

/** Rows `rows` of `m`, in that order, copied into a new matrix of storage `type`. */
export function gatherRows<D extends MatrixData>(
  m: Matrix,
  rows: ArrayLike<number>,
  type: new (length: number) => D,
): Matrix<D> {
  const d = m.cols;
  const data = new type(rows.length * d);
  for (let r = 0; r < rows.length; r++) data.set(m.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return { rows: rows.length, cols: d, data };
}

/** Squared Euclidean distances between the rows of z (n × k) and of p (m × k): n × m. */
export function squaredDistances(z: Matrix, p: Matrix): Matrix64 {
  if (z.cols !== p.cols)
    throw new ShapeMismatchError('p', 'squaredDistances', `${z.cols} columns`, String(p.cols));
  const { rows: n, cols: k, data: zd } = z;
  const { rows: m, data: pd } = p;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const zi = i * k;
    for (let c = 0; c < m; c++) {
      const pc = c * k;
      let s = 0;
      for (let j = 0; j < k; j++) {
        const d = zd[zi + j] - pd[pc + j];
        s += d * d;
      }
      out[i * m + c] = s;
    }
  }
  return { rows: n, cols: m, data: out };
}

/** Column of the smallest entry in each row of `d` (the first on ties). */
export function argminRows(d: Matrix): Int32Array {
  const { rows: n, cols: m, data } = d;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = Number.POSITIVE_INFINITY;
    for (let c = 0; c < m; c++) {
      const v = data[i * m + c];
      if (v < bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
