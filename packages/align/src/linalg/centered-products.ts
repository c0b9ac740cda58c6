import type { Matrix } from '@xling/core';
import { columnMeans } from './center.js';
import { crossProduct, finiteProduct } from './products.js';
import type { Compute } from './threads.js';

/**
 * Values per chunk buffer (rows = this / columns): 16 MB per side, reused for every chunk.
 * Measured at n = 10,000, d = 768: 8 MB chunks cost ~10% more in per-chunk sums, 32 MB ones
 * more in first-touch page faults.
 */
let chunkElements = 1 << 21;

/** For tests: the size of the chunk buffers, in values. */
export function setChunkElements(elements: number): void {
  chunkElements = elements;
}

/**
 * Sides at least this wide have their Gram matrix computed from two column blocks, skipping the
 * block below the diagonal (what a SYRK does): 3/4 of the multiply-adds, in products still large
 * enough for an engine to run at full speed.
 */
const SPLIT_MIN_COLUMNS = 256;

/** The products of column-centred X (n x dx) and Y (n x dy) that {@link centeredProducts} computes. */
export interface CenteredProducts {
  xMean: Float64Array;
  yMean: Float64Array;
  /** `Xc^T Yc` (dx x dy), when asked. */
  xy?: Float64Array;
  /** `Xc^T Xc` (dx x dx), when asked. */
  xx?: Float64Array;
  /** `Yc^T Yc` (dy x dy), when asked. */
  yy?: Float64Array;
  /** Squared norms of the centred rows of X and Y, when asked. */
  rowNormsX?: Float64Array;
  rowNormsY?: Float64Array;
}

/** One side's centred chunk, held as contiguous column blocks `[c0, c1)`. */
interface Side {
  m: Matrix<Float64Array>;
  means: Float64Array;
  blocks: { c0: number; c1: number; buffer: Float64Array }[];
  rowNorms: Float64Array | undefined;
}

function side(m: Matrix<Float64Array>, split: boolean, chunk: number, rowNorms: boolean): Side {
  const d = m.cols;
  const cuts = split ? [0, Math.ceil(d / 2), d] : [0, d];
  return {
    m,
    means: columnMeans(m),
    blocks: cuts
      .slice(1)
      .map((c1, b) => ({ c0: cuts[b], c1, buffer: new Float64Array(chunk * (c1 - cuts[b])) })),
    rowNorms: rowNorms ? new Float64Array(m.rows) : undefined,
  };
}

/** Centres rows [r0, r0 + rows) into the side's block buffers (and their squared norms, when kept). */
function centerChunk(s: Side, r0: number, rows: number): void {
  const { data, cols: d } = s.m;
  const { means, rowNorms } = s;
  for (let i = 0; i < rows; i++) {
    const o = (r0 + i) * d;
    let norm = 0;
    for (const { c0, c1, buffer } of s.blocks) {
      const p = i * (c1 - c0) - c0;
      if (rowNorms === undefined) {
        for (let j = c0; j < c1; j++) buffer[p + j] = data[o + j] - means[j];
      } else {
        for (let j = c0; j < c1; j++) {
          const v = data[o + j] - means[j];
          buffer[p + j] = v;
          norm += v * v;
        }
      }
    }
    if (rowNorms !== undefined) rowNorms[r0 + i] = norm;
  }
}

/** Adds `part` (rows x cols) into the block of `total` (row stride `stride`) at (r0, c0). */
function addBlock(
  total: Float64Array,
  stride: number,
  r0: number,
  c0: number,
  part: Float64Array,
  cols: number,
) {
  const rows = part.length / cols;
  for (let i = 0; i < rows; i++) {
    const o = (r0 + i) * stride + c0;
    const p = i * cols;
    for (let j = 0; j < cols; j++) total[o + j] += part[p + j];
  }
}

/** Adds the chunk's products of every pair of blocks (a's block <= b's block when `symmetric`). */
function accumulate(
  total: Float64Array,
  a: Side,
  b: Side,
  rows: number,
  symmetric: boolean,
  compute: Compute,
) {
  const stride = b.m.cols;
  a.blocks.forEach((p, i) => {
    b.blocks.forEach((q, j) => {
      if (symmetric && j < i) return;
      const width = q.c1 - q.c0;
      const part = crossProduct(p.buffer, q.buffer, rows, p.c1 - p.c0, width, compute, false);
      addBlock(total, stride, p.c0, q.c0, part, width);
    });
  });
}

/** Fills the lower triangle of a square matrix from its upper triangle. */
function mirrorUpper(c: Float64Array, d: number): Float64Array {
  for (let i = 1; i < d; i++) for (let j = 0; j < i; j++) c[i * d + j] = c[j * d + i];
  return c;
}

/**
 * Cross products of the column-centred inputs, for an engine (`compute.engine`), without ever
 * forming the n x d centred copies: rows are centred chunk by chunk into reused buffers and each
 * chunk's products are added up. A fresh 60 MB copy costs more in first-touch page faults than
 * the centring arithmetic itself, and the chunks stay in cache. Means are the two-pass means of
 * `centerColumns`, so results agree with centring first to rounding. Gram matrices of wide sides
 * skip their lower off-diagonal block (see SPLIT_MIN_COLUMNS).
 */
export function centeredProducts(
  x: Matrix<Float64Array>,
  y: Matrix<Float64Array>,
  want: { xy?: boolean; xx?: boolean; yy?: boolean; rowNorms?: boolean },
  compute: Compute,
): CenteredProducts {
  const { rows: n, cols: dx } = x;
  const dy = y.cols;
  const rowNorms = want.rowNorms === true;
  const chunk = Math.max(1, Math.min(n, Math.floor(chunkElements / Math.max(dx, dy))));
  const sx = side(x, want.xx === true && dx >= SPLIT_MIN_COLUMNS, chunk, rowNorms);
  const needY = want.xy === true || want.yy === true || rowNorms;
  const sy = needY ? side(y, want.yy === true && dy >= SPLIT_MIN_COLUMNS, chunk, rowNorms) : undefined;
  const xy = want.xy ? new Float64Array(dx * dy) : undefined;
  const xx = want.xx ? new Float64Array(dx * dx) : undefined;
  const yy = want.yy ? new Float64Array(dy * dy) : undefined;
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const rows = Math.min(chunk, n - r0);
    centerChunk(sx, r0, rows);
    if (sy !== undefined) centerChunk(sy, r0, rows);
    if (xy !== undefined && sy !== undefined) accumulate(xy, sx, sy, rows, false, compute);
    if (xx !== undefined) accumulate(xx, sx, sx, rows, true, compute);
    if (yy !== undefined && sy !== undefined) accumulate(yy, sy, sy, rows, true, compute);
  }
  // Overflow is checked once on the sums (an infinite chunk product leaves them non-finite).
  const checked = (c: Float64Array, m: number, p: number) =>
    finiteProduct(c, { m, k: n, n: p, transposeA: true, transposeB: false }, compute);
  return {
    xMean: sx.means,
    yMean: sy?.means ?? columnMeans(y),
    ...(xy ? { xy: checked(xy, dx, dy) } : {}),
    ...(xx ? { xx: checked(mirrorUpper(xx, dx), dx, dx) } : {}),
    ...(yy ? { yy: checked(mirrorUpper(yy, dy), dy, dy) } : {}),
    ...(rowNorms ? { rowNormsX: sx.rowNorms, rowNormsY: sy?.rowNorms } : {}),
  };
}
