import type { Matrix } from '@xling/core';
import { columnMeans } from './center.js';
import { crossProduct, gramProduct } from './products.js';
import type { Compute } from './threads.js';

/** Values per chunk buffer (rows = this / columns): ~8 MB per side, reused for every chunk. */
let chunkElements = 1 << 20;

/** For tests: the size of the chunk buffers, in values. */
export function setChunkElements(elements: number): void {
  chunkElements = elements;
}

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

function addInto(total: Float64Array | undefined, part: Float64Array): Float64Array {
  if (total === undefined) return part;
  for (let k = 0; k < total.length; k++) total[k] += part[k];
  return total;
}

function centerRows(
  m: Matrix<Float64Array>,
  means: Float64Array,
  r0: number,
  rows: number,
  out: Float64Array,
  rowNorms: Float64Array | undefined,
): Float64Array {
  const d = m.cols;
  const { data } = m;
  for (let i = 0; i < rows; i++) {
    const o = (r0 + i) * d;
    const p = i * d;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = data[o + j] - means[j];
      out[p + j] = v;
      norm += v * v;
    }
    if (rowNorms !== undefined) rowNorms[r0 + i] = norm;
  }
  return out.subarray(0, rows * d);
}

/**
 * Cross products of the column-centred inputs, for an engine (`compute.engine`), without ever forming the
 * n x d centred copies: rows are centred chunk by chunk into two reused buffers and each chunk's
 * products are added up. A fresh 60 MB copy costs more in first-touch page faults than the
 * centring arithmetic itself, and the chunks stay in cache. Means are the two-pass means of
 * `centerColumns`, so results agree with centring first to rounding.
 */
export function centeredProducts(
  x: Matrix<Float64Array>,
  y: Matrix<Float64Array>,
  want: { xy?: boolean; xx?: boolean; yy?: boolean; rowNorms?: boolean },
  compute: Compute,
): CenteredProducts {
  const { rows: n, cols: dx } = x;
  const dy = y.cols;
  const xMean = columnMeans(x);
  const yMean = columnMeans(y);
  const out: CenteredProducts = { xMean, yMean };
  const needY = want.xy === true || want.yy === true || want.rowNorms === true;
  if (want.rowNorms) {
    out.rowNormsX = new Float64Array(n);
    out.rowNormsY = new Float64Array(n);
  }
  const chunk = Math.max(1, Math.min(n, Math.floor(chunkElements / Math.max(dx, dy))));
  const xBuffer = new Float64Array(chunk * dx);
  const yBuffer = needY ? new Float64Array(chunk * dy) : xBuffer;
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const rows = Math.min(chunk, n - r0);
    const xc = centerRows(x, xMean, r0, rows, xBuffer, out.rowNormsX);
    const yc = needY ? centerRows(y, yMean, r0, rows, yBuffer, out.rowNormsY) : xc;
    if (want.xy) out.xy = addInto(out.xy, crossProduct(xc, yc, rows, dx, dy, compute));
    if (want.xx) out.xx = addInto(out.xx, gramProduct(xc, rows, dx, compute));
    if (want.yy) out.yy = addInto(out.yy, gramProduct(yc, rows, dy, compute));
  }
  return out;
}
