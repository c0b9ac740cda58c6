import { checkOptions, InvalidArgumentError, ShapeMismatchError } from '@xling/core';

/** Options of {@link clusterOrder}. */
export interface ClusterOrderOptions {
  /**
   * Whether entries are distances (small = close, e.g. Procrustes disparity) or similarities
   * (large = close, e.g. CKA, RSA); similarities become distances `max - s`, which leaves
   * average linkage unchanged because it is linear.
   * @defaultValue 'distance'
   */
  kind?: 'distance' | 'similarity';
}

/**
 * Leaf order of an average-linkage (UPGMA) hierarchical clustering of a square matrix, the order
 * in which to draw a heatmap's rows and columns so that similar languages sit together. The
 * matrix is symmetrised (mean of `m[i][j]` and `m[j][i]`, ignoring `null`/NaN entries; a pair
 * with no value gets the largest distance) and the diagonal is ignored. Merges join the closest
 * pair of clusters (first pair in index order on ties), new clusters get ids `n, n+1, ...`, each
 * merge lists the smaller id first, and leaves are read depth-first left to right — the order of
 * SciPy's `leaves_list(linkage(squareform(d), 'average'))`.
 *
 * @param matrix - `n × n` distances or similarities; `null` for missing entries
 * @returns a permutation of `0..n-1`
 * @throws XLING_SHAPE_MISMATCH when the matrix is not square.
 * @see scipy.cluster.hierarchy.linkage (method='average'), scipy.cluster.hierarchy.leaves_list
 * @example
 * clusterOrder([[0, 9, 1], [9, 0, 8], [1, 8, 0]]); // [1, 0, 2]
 */
export function clusterOrder(
  matrix: readonly (readonly (number | null)[])[],
  options: ClusterOrderOptions = {},
): number[] {
  checkOptions(
    options,
    { kind: { type: 'enum', values: ['distance', 'similarity'], optional: true } },
    'clusterOrder',
  );
  const { kind = 'distance' } = options ?? {};
  if (!Array.isArray(matrix)) {
    throw new InvalidArgumentError(
      'matrix',
      'clusterOrder',
      `must be an array of rows, but got ${typeof matrix}.`,
    );
  }
  const n = matrix.length;
  for (let i = 0; i < n; i++) {
    if (!Array.isArray(matrix[i]) || matrix[i].length !== n) {
      throw new ShapeMismatchError(
        `matrix[${i}]`,
        'clusterOrder',
        `${n} entries (the matrix must be square)`,
        Array.isArray(matrix[i]) ? String(matrix[i].length) : typeof matrix[i],
      );
    }
  }
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);

  const value = (i: number, j: number): number | undefined => {
    const v = matrix[i][j];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  // Symmetrised pairwise values, upper triangle; NaN marks "no value".
  const d = new Float64Array(n * n);
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = value(i, j);
      const b = value(j, i);
      const v = a === undefined ? (b === undefined ? Number.NaN : b) : b === undefined ? a : (a + b) / 2;
      d[i * n + j] = v;
      if (!Number.isNaN(v) && v > best) best = v;
    }
  }
  let worstDistance = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let v = d[i * n + j];
      if (!Number.isNaN(v) && kind === 'similarity') v = best - v;
      d[i * n + j] = v;
      d[j * n + i] = v;
      if (!Number.isNaN(v) && v > worstDistance) worstDistance = v;
    }
  }
  const fallback = Number.isFinite(worstDistance) ? worstDistance : 0;
  for (let k = 0; k < n * n; k++) if (Number.isNaN(d[k])) d[k] = fallback;

  // Naive UPGMA over cluster ids 0..2n-2; distances between active clusters in a map keyed by id.
  const total = 2 * n - 1;
  const dist = new Float64Array(total * total);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * total + j] = d[i * n + j];
  const size = new Int32Array(total);
  const left = new Int32Array(total).fill(-1);
  const right = new Int32Array(total).fill(-1);
  const active: number[] = [];
  for (let i = 0; i < n; i++) {
    size[i] = 1;
    active.push(i);
  }
  for (let step = 0; step < n - 1; step++) {
    let bi = -1;
    let bj = -1;
    let bd = Number.POSITIVE_INFINITY;
    for (let x = 0; x < active.length; x++) {
      for (let y = x + 1; y < active.length; y++) {
        const v = dist[active[x] * total + active[y]];
        if (v < bd) {
          bd = v;
          bi = active[x];
          bj = active[y];
        }
      }
    }
    const id = n + step;
    left[id] = Math.min(bi, bj);
    right[id] = Math.max(bi, bj);
    size[id] = size[bi] + size[bj];
    for (const k of active) {
      if (k === bi || k === bj) continue;
      const v = (size[bi] * dist[bi * total + k] + size[bj] * dist[bj * total + k]) / size[id];
      dist[id * total + k] = v;
      dist[k * total + id] = v;
    }
    active.splice(active.indexOf(bi), 1);
    active.splice(active.indexOf(bj), 1);
    active.push(id);
  }
  const order: number[] = [];
  const stack = [total - 1];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    if (node < n) order.push(node);
    else {
      stack.push(right[node]);
      stack.push(left[node]);
    }
  }
  return order;
}
