import { type Matrix64, matmul, squaredDistances } from './linalg.js';

/** Loss and gradient pieces of the prototypical loss for one batch. */
export interface PrototypeLossResult {
  /** Mean of -log softmax_c(-||z_i - p_c||^2)[y_i] over rows with a target. */
  loss: number;
  /** Rows that had a target. */
  count: number;
  /** dLoss/dz, shape n × k. */
  dz: Matrix64;
  /** dLoss/dp, shape m × k. */
  dp: Matrix64;
}

/** Options of {@link prototypeLoss}. */
export interface PrototypeLossOptions {
  /** Compute dz and dp (zeros otherwise). @defaultValue true */
  gradient?: boolean;
  /** Compute dp too (with `gradient`); false leaves it zero, for callers whose prototypes are fixed. @defaultValue true */
  prototypeGradient?: boolean;
  /** Constant added to every row's logits (length m), e.g. log class priors. */
  bias?: ArrayLike<number>;
}

/**
 * Prototypical cross-entropy on embedded rows `z` (n × k) against prototypes `p` (m × k), with
 * analytic gradients. `target[i]` is the prototype row of row i, or -1 to ignore it.
 *
 * With G = (onehot - softmax(-D)) / count: dL/dz = -2 G p (rows of G sum to 0), and
 * dL/dp_c = -2 (G^T z)_c + 2 p_c sum_i G_ic. An optional constant `bias` (length m, e.g. log class
 * priors) is added to every row's logits -D; the formulas keep their form.
 * @see Snell et al. 2017, Prototypical Networks, eq. 2
 */
export function prototypeLoss(
  z: Matrix64,
  p: Matrix64,
  target: Int32Array,
  { gradient = true, prototypeGradient = true, bias }: PrototypeLossOptions = {},
): PrototypeLossResult {
  const { rows: n, cols: k } = z;
  const { rows: m, data: pd } = p;
  const dist = squaredDistances(z, p).data;
  if (bias) for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) dist[i * m + c] -= bias[c];
  let count = 0;
  for (let i = 0; i < n; i++) if (target[i] >= 0) count++;
  const g = new Float64Array(n * m);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const t = target[i];
    if (t < 0) continue;
    let min = Number.POSITIVE_INFINITY;
    for (let c = 0; c < m; c++) if (dist[i * m + c] < min) min = dist[i * m + c];
    // One exp per entry: g holds exp(min - d) until the softmax is known.
    let sum = 0;
    for (let c = 0; c < m; c++) {
      const e = Math.exp(min - dist[i * m + c]);
      g[i * m + c] = e;
      sum += e;
    }
    loss += dist[i * m + t] - min + Math.log(sum);
    for (let c = 0; c < m; c++) g[i * m + c] = ((c === t ? 1 : 0) - g[i * m + c] / sum) / count;
  }
  loss = count > 0 ? loss / count : 0;
  const gm = { rows: n, cols: m, data: g };
  const dz = gradient && count > 0 ? matmul(gm, p) : { rows: n, cols: k, data: new Float64Array(n * k) };
  const dp =
    gradient && count > 0 && prototypeGradient
      ? matmul(gm, z, { transpose: 'a' })
      : { rows: m, cols: k, data: new Float64Array(m * k) };
  if (gradient && count > 0) {
    // dz = -2 G p and dp = -2 G^T z + 2 diag(colsum G) p. Scaling by 2 is exact, so for normal
    // results these are the bits of accumulating -2 g p term by term; `0 - 2x` keeps an exact 0
    // (an ignored row) +0.
    for (let i = 0; i < dz.data.length; i++) dz.data[i] = 0 - 2 * dz.data[i];
    if (prototypeGradient) {
      const colSum = new Float64Array(m);
      for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) colSum[c] += g[i * m + c];
      for (let c = 0; c < m; c++)
        for (let j = 0; j < k; j++)
          dp.data[c * k + j] = 0 - 2 * dp.data[c * k + j] + 2 * colSum[c] * pd[c * k + j];
    }
  }
  return { loss, count, dz, dp };
}
