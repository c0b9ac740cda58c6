import { InvalidArgumentError, type Matrix, type MatrixLike } from '@xling/core';
import { cholesky, solveLowerInPlace } from '../linalg/cholesky.js';
import { syrkNT } from '../linalg/gemm.js';
import { singularValues } from '../linalg/thin-svd.js';
import { matrixPair } from '../linalg/validate.js';

/** Cholesky factor of the RSM `X X^T / d`; throws when the RSM is not positive definite. */
function rsmCholesky(m: Matrix<Float64Array>, argument: string): Float64Array {
  const { rows: n, cols: d } = m;
  if (n > d) {
    throw new InvalidArgumentError(
      argument,
      'rsmRiemannianDistance',
      `has ${n} rows but only ${d} columns, so its ${n} x ${n} RSM has rank <= ${d} and is not positive definite; use at most as many rows as columns.`,
    );
  }
  const s = syrkNT(m.data, n, d);
  for (let k = 0; k < s.length; k++) s[k] /= d;
  const l = cholesky(s, n);
  if (l === null) {
    throw new InvalidArgumentError(
      argument,
      'rsmRiemannianDistance',
      `(shape ${n} x ${d}) has linearly dependent rows, so its ${n} x ${n} RSM is not positive definite (a Cholesky pivot fell to 1e-14 of its diagonal entry or below).`,
    );
  }
  return l;
}

/**
 * Riemannian distance between representational similarity matrices (Shahbazi et al. 2021): with
 * the uncentred RSMs `Sx = X X^T / dx` and `Sy = Y Y^T / dy`, `sqrt(Σ_i log^2 λ_i)` over the
 * generalised eigenvalues of `Sy v = λ Sx v` (the affine-invariant distance on positive definite
 * matrices). Rows are not centred, as in the paper, so translation changes the value; so does
 * scaling one side (λ scales with it). Invariant to rotating the columns. Lower = more similar;
 * 0 for identical spaces. Needs both RSMs positive definite: n <= dx, n <= dy and linearly
 * independent rows.
 *
 * @param x - items in space A (shape n x dx, 2 <= n <= dx)
 * @param y - the same items in space B (shape n x dy, n <= dy)
 * @returns the distance, >= 0
 * @throws XLING_SHAPE_MISMATCH when row counts differ; XLING_INVALID_ARGUMENT for fewer than 2
 * rows, NaN/Infinity, or an RSM that is not positive definite (more rows than columns, or rows
 * linearly dependent to a relative tolerance of 1e-14).
 * @see Shahbazi, Shirali, Aghajan & Nili, "Using distance on the Riemannian manifold to compare
 * representations in brain and in models", NeuroImage 239 (2021); scipy.linalg.eigh(Sy, Sx);
 * Klabunde et al. (2023)
 * @example
 * rsmRiemannianDistance([[1, 0], [0, 1]], [[2, 0], [0, 2]]); // sqrt(2) * ln 4 ≈ 1.96
 */
export function rsmRiemannianDistance(x: MatrixLike, y: MatrixLike): number {
  const [a, b] = matrixPair(x, y, 'rsmRiemannianDistance');
  const n = a.rows;
  const lx = rsmCholesky(a, 'x');
  // λ(Sy, Sx) are the eigenvalues of Lx^-1 Ly Ly^T Lx^-T, i.e. the squared singular values of
  // C = Lx^-1 Ly, whose condition number is the square root of that of the eigenproblem.
  const c = rsmCholesky(b, 'y');
  solveLowerInPlace(lx, n, c, n);
  let sum = 0;
  for (const sigma of singularValues(c, n, n)) sum += (2 * Math.log(sigma)) ** 2;
  return Math.sqrt(sum);
}
