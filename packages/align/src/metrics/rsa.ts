import { InvalidArgumentError, type MatrixLike, checkOptions } from '@xling/core';
import { matrixPair } from '../linalg/validate.js';
import { averageRanks, kendallTauBOrNull, pearsonOrNull } from './correlation-core.js';
import { RDM_METRICS, type RdmMetric, condensedDistances } from './rdm.js';

/** How {@link rsa} compares two RDMs. */
export type RsaMethod = 'spearman' | 'pearson' | 'kendall';

/** Options of {@link rsa}. */
export interface RsaOptions {
  /** Distance for both RDMs. @defaultValue 'euclidean' */
  metric?: RdmMetric;
  /** Correlation of the RDMs' upper triangles (Kendall = tau-b). @defaultValue 'spearman' */
  method?: RsaMethod;
}

export const RSA_METHODS: readonly RsaMethod[] = ['spearman', 'pearson', 'kendall'];

/** Correlates two condensed RDMs; throws naming the constant one. */
export function compareRdms(
  ra: Float64Array,
  rb: Float64Array,
  method: RsaMethod,
  functionName: string,
): number {
  const r =
    method === 'spearman'
      ? pearsonOrNull(averageRanks(ra), averageRanks(rb))
      : method === 'pearson'
        ? pearsonOrNull(ra, rb)
        : kendallTauBOrNull(ra, rb);
  if (r === null) {
    const constantX = ra.every((v) => v === ra[0]);
    throw new InvalidArgumentError(
      constantX ? 'x' : 'y',
      functionName,
      'has all pairwise distances equal, so its RDM cannot be correlated.',
    );
  }
  return r;
}

/**
 * Representational similarity analysis: the correlation of the RDMs of `x` and `y` (same items
 * in the same row order; the dimensions may differ). Rotation-free; its null is ~0, but report it
 * beside a permutation test ({@link permutationTest}).
 *
 * @param x - items in space A (shape n x dx, n >= 3)
 * @param y - the same items in space B (shape n x dy)
 * @returns the correlation in [-1, 1]
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 3
 * rows, NaN/Infinity, zero/constant rows (cosine/correlation) or a constant RDM.
 * @see Kriegeskorte et al., "Representational similarity analysis", Front. Syst. Neurosci. 2 (2008);
 * scipy.spatial.distance.pdist with scipy.stats.spearmanr / pearsonr / kendalltau
 * @example
 * rsa([[0, 0], [1, 0], [0, 2]], [[0, 0], [2, 0], [0, 5]]); // 1
 */
export function rsa(x: MatrixLike, y: MatrixLike, options: RsaOptions = {}): number {
  checkOptions(
    options,
    { metric: { type: 'enum', values: RDM_METRICS }, method: { type: 'enum', values: RSA_METHODS } },
    'rsa',
  );
  const { metric = 'euclidean', method = 'spearman' } = options;
  const [a, b] = matrixPair(x, y, 'rsa', { minRows: 3 });
  const ra = condensedDistances(a.data, a.rows, a.cols, metric, 'x', 'rsa');
  const rb = condensedDistances(b.data, b.rows, b.cols, metric, 'y', 'rsa');
  return compareRdms(ra, rb, method, 'rsa');
}
