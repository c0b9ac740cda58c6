import { InvalidArgumentError } from '@xling/core';
import { centerColumns } from '../linalg/center.js';
import { centeredProducts } from '../linalg/centered-products.js';
import { syrkNT } from '../linalg/gemm.js';
import { crossProduct, gramProduct } from '../linalg/products.js';
import { type Compute, ON_CALLING_THREAD, wantsSharedBuffers } from '../linalg/threads.js';

/**
 * The three inner products linear CKA needs, from centred data, by whichever route is cheaper:
 * feature space (`X^T Y`, d x d, cost n d^2) or Gram space (`X X^T`, n x n, cost n^2 d).
 * `xy = ||X^T Y||_F^2 = <K, L>`, `xx = ||X^T X||_F^2 = ||K||_F^2`, plus the row norms for the
 * debiased estimator.
 */
export interface LinearSimilarityTerms {
  xy: number;
  xx: number;
  yy: number;
  rowNormsX: Float64Array;
  rowNormsY: Float64Array;
  n: number;
}

function frobeniusSquared(a: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * a[k];
  return s;
}

function rowSquaredNorms(a: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j] * a[i * d + j];
    out[i] = s;
  }
  return out;
}

/** An even power of two near the largest |entry| (1 for a zero array): dividing by it, or by its square root, is exact. */
function evenPowerOfTwoScale(a: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m === 0 ? 1 : 2 ** Math.min(1022, Math.max(-1022, 2 * Math.round(Math.log2(m) / 2)));
}

/**
 * The terms from the kernel products, computed as if X were divided by sqrt(cx) and Y by sqrt(cy)
 * (cx, cy: even powers of two near the largest |entry| of X^T X and Y^T Y, so the scaling is
 * exact and changes no bit in range; `scaledGram` does the same on the Gram route): linear CKA and the
 * HSIC ratios do not change under such scaling, and the squared norms then stay near 1 instead of
 * overflowing (inputs ~1e100) or underflowing (~1e-100) float64.
 */
function scaledTerms(
  products: { xy: Float64Array; kx: Float64Array; ky: Float64Array },
  rowNormsX: Float64Array,
  rowNormsY: Float64Array,
  n: number,
): LinearSimilarityTerms {
  // Powers of two: multiplying by the reciprocals is exact.
  const ix = 1 / evenPowerOfTwoScale(products.kx);
  const iy = 1 / evenPowerOfTwoScale(products.ky);
  const { kx, ky } = products;
  for (let k = 0; k < kx.length; k++) kx[k] *= ix;
  for (let k = 0; k < ky.length; k++) ky[k] *= iy;
  for (let i = 0; i < n; i++) {
    rowNormsX[i] *= ix;
    rowNormsY[i] *= iy;
  }
  let xy = 0;
  const ic = Math.sqrt(ix) * Math.sqrt(iy);
  for (let k = 0; k < products.xy.length; k++) {
    const v = products.xy[k] * ic;
    xy += v * v;
  }
  return { xy, xx: frobeniusSquared(kx), yy: frobeniusSquared(ky), rowNormsX, rowNormsY, n };
}

export function linearTerms(
  x: { rows: number; cols: number; data: Float64Array },
  y: { rows: number; cols: number; data: Float64Array },
  compute: Compute = ON_CALLING_THREAD,
): LinearSimilarityTerms {
  const n = x.rows;
  const dx = x.cols;
  const dy = y.cols;
  const featureCost = dx * dx + dy * dy + 2 * dx * dy;
  const gramCost = n * (dx + dy) + 2 * n * n;
  if (featureCost <= gramCost && compute.engine !== undefined) {
    const p = centeredProducts(x, y, { xy: true, xx: true, yy: true, rowNorms: true }, compute);
    return scaledTerms({ xy: p.xy!, kx: p.xx!, ky: p.yy! }, p.rowNormsX!, p.rowNormsY!, n);
  }
  if (featureCost > gramCost) {
    const [gx, gy] = [scaledGram(x), scaledGram(y)];
    return {
      xy: gramInner(gx, gy),
      xx: gx.squared,
      yy: gy.squared,
      rowNormsX: gx.rowNorms,
      rowNormsY: gy.rowNorms,
      n,
    };
  }
  const xc = centerColumns(x, wantsSharedBuffers(compute)).centered;
  const yc = centerColumns(y, wantsSharedBuffers(compute)).centered;
  const products = {
    xy: crossProduct(xc, yc, n, dx, dy, compute),
    kx: gramProduct(xc, n, dx, compute),
    ky: gramProduct(yc, n, dy, compute),
  };
  return scaledTerms(products, rowSquaredNorms(xc, n, dx), rowSquaredNorms(yc, n, dy), n);
}

/**
 * One side's centred linear Gram matrix divided by an even power of two near its largest entry
 * (exact, see `scaledTerms`), with its squared norm and the rows' squared norms scaled alike:
 * `linearTerms`' Gram route, and the linear CKA measure's prepared state.
 */
export interface ScaledGram {
  k: Float64Array;
  n: number;
  /** sum of k[i]^2: `linearTerms`' xx (or yy) on its Gram route. */
  squared: number;
  rowNorms: Float64Array;
}

export function scaledGram(x: { rows: number; cols: number; data: Float64Array }): ScaledGram {
  const n = x.rows;
  const xc = centerColumns(x).centered;
  const k = syrkNT(xc, n, x.cols);
  const rowNorms = rowSquaredNorms(xc, n, x.cols);
  const inverse = 1 / evenPowerOfTwoScale(k);
  for (let i = 0; i < k.length; i++) k[i] *= inverse;
  for (let i = 0; i < n; i++) rowNorms[i] *= inverse;
  return { k, n, squared: frobeniusSquared(k), rowNorms };
}

/** The Gram matrix of the rows taken in `order`: P K P^T, entry by entry (no arithmetic). */
export function permuteGram(g: ScaledGram, order: ArrayLike<number>): ScaledGram {
  const { n, k } = g;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = order[i] * n;
    for (let j = 0; j < n; j++) out[i * n + j] = k[row + order[j]];
  }
  return { k: out, n, squared: g.squared, rowNorms: Float64Array.from(order, (i) => g.rowNorms[i]) };
}

/** sum of a.k[i] b.k[i]: `linearTerms`' xy on its Gram route. */
export function gramInner(a: ScaledGram, b: ScaledGram): number {
  let xy = 0;
  for (let i = 0; i < a.k.length; i++) xy += a.k[i] * b.k[i];
  return xy;
}

/**
 * Kornblith et al.'s `_debiased_dot_product_similarity_helper`: the unbiased HSIC estimator
 * (Song et al. 2012) expressed through `<K, L>` of centred linear kernels, scaled by 1/(n(n-3)).
 */
export function debiasedTerm(xty: number, rowsX: Float64Array, rowsY: Float64Array, n: number): number {
  let dot = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    dot += rowsX[i] * rowsY[i];
    sx += rowsX[i];
    sy += rowsY[i];
  }
  return (xty - (n / (n - 2)) * dot + (sx * sy) / ((n - 1) * (n - 2))) / (n * (n - 3));
}

/** Squared Euclidean distances between all rows (n x n), computed directly (not from dot products). */
function squaredDistances(data: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t] - data[j * d + t];
        s += diff * diff;
      }
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/**
 * RBF Gram matrix with Kornblith et al.'s bandwidth: `exp(-D^2 / (2 threshold^2 median(D^2)))`,
 * the median taken over all n^2 squared distances (diagonal zeros included), as in their code.
 */
export function rbfGram(
  data: Float64Array,
  n: number,
  d: number,
  threshold: number,
  argument: string,
  functionName: string,
): Float64Array {
  const sq = squaredDistances(data, n, d);
  const sorted = Float64Array.from(sq).sort();
  const half = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
  if (!(median > 0)) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      'has a median squared distance of 0 between rows, so the RBF bandwidth is undefined.',
    );
  }
  const scale = 1 / (2 * threshold * threshold * median);
  for (let k = 0; k < sq.length; k++) sq[k] = Math.exp(-sq[k] * scale);
  return sq;
}

/** Linear Gram matrix of the centred rows. */
export function linearGram(data: Float64Array, n: number, d: number): Float64Array {
  const xc = centerColumns({ rows: n, cols: d, data }).centered;
  return syrkNT(xc, n, d);
}

/**
 * Kornblith et al.'s `center_gram`: biased `H K H`, or (unbiased) the U-statistic centring
 * of Song et al. 2012 with a zero diagonal. Returns a new matrix.
 */
export function centerGram(gram: Float64Array, n: number, unbiased: boolean): Float64Array {
  const g = Float64Array.from(gram);
  const means = new Float64Array(n);
  if (unbiased) {
    for (let i = 0; i < n; i++) g[i * n + i] = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) means[j] += g[i * n + j];
    for (let j = 0; j < n; j++) means[j] /= n - 2;
    let total = 0;
    for (let j = 0; j < n; j++) total += means[j];
    for (let j = 0; j < n; j++) means[j] -= total / (2 * (n - 1));
  } else {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) means[j] += g[i * n + j];
    for (let j = 0; j < n; j++) means[j] /= n;
    let total = 0;
    for (let j = 0; j < n; j++) total += means[j];
    for (let j = 0; j < n; j++) means[j] -= total / n / 2;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] -= means[i] + means[j];
  if (unbiased) for (let i = 0; i < n; i++) g[i * n + i] = 0;
  return g;
}

export function frobeniusInner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}
