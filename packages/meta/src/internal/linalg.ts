// Small dense kernels on row-major typed arrays. Loops are ordered i-p-j so the innermost loop
// runs over contiguous memory of both the output and the right operand.

/** c[m x n] = a[m x k] * b[k x n] (overwrites c). */
export function matmulInto(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let p = 0; p < k; p++) {
      const av = a[ai + p];
      if (av === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
  return c;
}

/** c[k x n] += a[m x k]^T * b[m x n]. */
export function addTransposeMatmulInto(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    const bi = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[ai + p];
      if (av === 0) continue;
      const cp = p * n;
      for (let j = 0; j < n; j++) c[cp + j] += av * b[bi + j];
    }
  }
}

/** Squared Euclidean distances between rows of z [n x k] and rows of p [m x k]: out [n x m]. */
export function squaredDistances(
  z: ArrayLike<number>,
  p: ArrayLike<number>,
  n: number,
  m: number,
  k: number,
): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const zi = i * k;
    for (let c = 0; c < m; c++) {
      const pc = c * k;
      let s = 0;
      for (let j = 0; j < k; j++) {
        const d = z[zi + j] - p[pc + j];
        s += d * d;
      }
      out[i * m + c] = s;
    }
  }
  return out;
}

/** Index of the smallest entry in each row of d [n x m] (first on ties). */
export function argminRows(d: ArrayLike<number>, n: number, m: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = Number.POSITIVE_INFINITY;
    for (let c = 0; c < m; c++) {
      const v = d[i * m + c];
      if (v < bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
