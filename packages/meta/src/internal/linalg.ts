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
 * op(a) op(b), added to `into` when given: register-blocked loops (below), each entry summed in
 * ascending inner order from its start value, so the bits are the plain triple loop's.
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
    dotProductsNT(x, y, c, m, inner, n);
  } else if (transpose === 'a') {
    columnProductsTN(x, y, c, m, inner, n);
  } else {
    productsNN(x, y, c, m, inner, n);
  }
  return out;
}

/**
 * c += x y^T (x m × inner, y n × inner), four entries of a row at a time: each row of x is read
 * once per four rows of y, and each entry is still summed in ascending p from its start value.
 */
function dotProductsNT(x: MatrixData, y: MatrixData, c: Float64Array, m: number, inner: number, n: number) {
  const n4 = n - (n % 4);
  for (let i = 0; i < m; i++) {
    const xi = i * inner;
    const ci = i * n;
    for (let j = 0; j < n4; j += 4) {
      const y0 = j * inner;
      const y1 = y0 + inner;
      const y2 = y1 + inner;
      const y3 = y2 + inner;
      let s0 = c[ci + j];
      let s1 = c[ci + j + 1];
      let s2 = c[ci + j + 2];
      let s3 = c[ci + j + 3];
      for (let p = 0; p < inner; p++) {
        const v = x[xi + p];
        s0 += v * y[y0 + p];
        s1 += v * y[y1 + p];
        s2 += v * y[y2 + p];
        s3 += v * y[y3 + p];
      }
      c[ci + j] = s0;
      c[ci + j + 1] = s1;
      c[ci + j + 2] = s2;
      c[ci + j + 3] = s3;
    }
    for (let j = n4; j < n; j++) {
      let s = c[ci + j];
      for (let p = 0; p < inner; p++) s += x[xi + p] * y[j * inner + p];
      c[ci + j] = s;
    }
  }
}

/**
 * c += x y (x m × inner, y inner × n): blocks of two rows by four columns of c summed over
 * ascending p in registers (six loads per eight multiply-adds), then the leftover rows and columns.
 */
function productsNN(x: MatrixData, y: MatrixData, c: Float64Array, m: number, inner: number, n: number) {
  const n4 = n - (n % 4);
  const m2 = m - (m % 2);
  for (let i = 0; i < m2; i += 2) {
    const x0 = i * inner;
    const x1 = x0 + inner;
    const c0 = i * n;
    const c1 = c0 + n;
    for (let j = 0; j < n4; j += 4) {
      let a0 = c[c0 + j];
      let a1 = c[c0 + j + 1];
      let a2 = c[c0 + j + 2];
      let a3 = c[c0 + j + 3];
      let b0 = c[c1 + j];
      let b1 = c[c1 + j + 1];
      let b2 = c[c1 + j + 2];
      let b3 = c[c1 + j + 3];
      for (let p = 0; p < inner; p++) {
        const u = x[x0 + p];
        const v = x[x1 + p];
        const yp = p * n + j;
        const y0 = y[yp];
        const y1 = y[yp + 1];
        const y2 = y[yp + 2];
        const y3 = y[yp + 3];
        a0 += u * y0;
        a1 += u * y1;
        a2 += u * y2;
        a3 += u * y3;
        b0 += v * y0;
        b1 += v * y1;
        b2 += v * y2;
        b3 += v * y3;
      }
      c[c0 + j] = a0;
      c[c0 + j + 1] = a1;
      c[c0 + j + 2] = a2;
      c[c0 + j + 3] = a3;
      c[c1 + j] = b0;
      c[c1 + j + 1] = b1;
      c[c1 + j + 2] = b2;
      c[c1 + j + 3] = b3;
    }
  }
  for (let i = 0; i < m; i++) {
    const j0 = i < m2 ? n4 : 0;
    for (let j = j0; j < n; j++) {
      let s = c[i * n + j];
      for (let p = 0; p < inner; p++) s += x[i * inner + p] * y[p * n + j];
      c[i * n + j] = s;
    }
  }
}

/**
 * c += x^T y (x inner × m, y inner × n): four entries of a row of c at a time, each summed over
 * ascending i in registers (strided reads; the operands of meta's k-wide products sit in cache).
 */
function columnProductsTN(
  x: MatrixData,
  y: MatrixData,
  c: Float64Array,
  m: number,
  inner: number,
  n: number,
) {
  const n4 = n - (n % 4);
  for (let p = 0; p < m; p++) {
    const cp = p * n;
    for (let j = 0; j < n4; j += 4) {
      let s0 = c[cp + j];
      let s1 = c[cp + j + 1];
      let s2 = c[cp + j + 2];
      let s3 = c[cp + j + 3];
      for (let i = 0; i < inner; i++) {
        const v = x[i * m + p];
        const yi = i * n + j;
        s0 += v * y[yi];
        s1 += v * y[yi + 1];
        s2 += v * y[yi + 2];
        s3 += v * y[yi + 3];
      }
      c[cp + j] = s0;
      c[cp + j + 1] = s1;
      c[cp + j + 2] = s2;
      c[cp + j + 3] = s3;
    }
    for (let j = n4; j < n; j++) {
      let s = c[cp + j];
      for (let i = 0; i < inner; i++) s += x[i * m + p] * y[i * n + j];
      c[cp + j] = s;
    }
  }
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
  const m4 = m - (m % 4);
  for (let i = 0; i < n; i++) {
    const zi = i * k;
    // Four prototypes at a time: z_i is read once per four; each sum still runs over ascending j.
    for (let c = 0; c < m4; c += 4) {
      const p0 = c * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < k; j++) {
        const v = zd[zi + j];
        const d0 = v - pd[p0 + j];
        const d1 = v - pd[p0 + k + j];
        const d2 = v - pd[p0 + 2 * k + j];
        const d3 = v - pd[p0 + 3 * k + j];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
      }
      out[i * m + c] = s0;
      out[i * m + c + 1] = s1;
      out[i * m + c + 2] = s2;
      out[i * m + c + 3] = s3;
    }
    for (let c = m4; c < m; c++) {
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
