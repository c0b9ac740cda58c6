import { XlingError, allFinite } from '@xling/core';
import { gemmNN, gemmNT, gemmTN, syrkNT } from './gemm.js';
import { parallelGemmTN, parallelSyrkTN } from './parallel-gemm.js';
import type { ProductShape } from './product-engine.js';
import type { Compute } from './threads.js';

/**
 * Products smaller than this many multiply-adds stay on the built-in kernels even with an engine:
 * below it, an engine's fixed cost per call (tensor wrapping, thread wake-up) is not repaid.
 */
let engineMinWork = 1 << 21;

/** For tests: the smallest product (in multiply-adds) handed to an engine. */
export function setEngineMinWork(work: number): void {
  engineMinWork = work;
}

const describeShape = (shape: ProductShape) => `${shape.m} x ${shape.k} by ${shape.k} x ${shape.n}`;

/**
 * The n-row products of finite inputs overflow only when the inputs are huge (|x| ~ 1e154 at
 * n = 10,000): say so instead of letting Infinity and NaN flow into an SVD (scipy raises there
 * too, "array must not contain infs or NaNs").
 */
export function finiteProduct(c: Float64Array, shape: ProductShape, compute: Compute): Float64Array {
  if (allFinite(c)) return c;
  throw new XlingError(
    'XLING_INVALID_ARGUMENT',
    `A ${describeShape(shape)} product of the inputs is not finite: it overflowed float64 (entries of about 1e150 or more); rescale the inputs${
      compute.engine === undefined ? '' : `, or check the product engine '${compute.engine.name}'`
    }.`,
  );
}

function viaEngine(
  compute: Compute,
  a: Float64Array,
  b: Float64Array,
  shape: ProductShape,
): Float64Array | null {
  const { engine } = compute;
  if (engine === undefined || shape.m * shape.k * shape.n < engineMinWork) return null;
  let c: unknown;
  try {
    c = engine.multiply(a, b, shape);
  } catch (error) {
    throw new XlingError(
      'XLING_ENGINE_FAILED',
      `The product engine '${engine.name}' failed on a ${describeShape(shape)} product: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  if (!(c instanceof Float64Array) || c.length !== shape.m * shape.n) {
    throw new XlingError(
      'XLING_ENGINE_FAILED',
      `The product engine '${engine.name}' returned ${
        c instanceof Float64Array ? `${c.length} values` : 'something other than a Float64Array'
      } for a ${shape.m} x ${shape.n} product (expected a Float64Array of ${shape.m * shape.n}).`,
    );
  }
  return c;
}

/**
 * `A^T B` for row-major A (n x m) and B (n x p): the engine if any, else the built-in kernels on
 * `threads`. Checked for overflow unless `checked` is false (callers summing chunks check the sum).
 */
export function crossProduct(
  a: Float64Array,
  b: Float64Array,
  n: number,
  m: number,
  p: number,
  compute: Compute,
  checked = true,
): Float64Array {
  const shape = { m, k: n, n: p, transposeA: true, transposeB: false };
  const c = viaEngine(compute, a, b, shape) ?? parallelGemmTN(a, b, n, m, p, compute.threads);
  return checked ? finiteProduct(c, shape, compute) : c;
}

/** `A^T A` for row-major A (n x m). An engine computes the full square (engines have no SYRK). */
export function gramProduct(a: Float64Array, n: number, m: number, compute: Compute): Float64Array {
  const shape = { m, k: n, n: m, transposeA: true, transposeB: false };
  const c = viaEngine(compute, a, a, shape) ?? parallelSyrkTN(a, n, m, compute.threads);
  return finiteProduct(c, shape, compute);
}

/** `A B^T` for row-major A (m x k) and B (n x k). */
export function productNT(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  compute: Compute,
): Float64Array {
  return viaEngine(compute, a, b, { m, k, n, transposeA: false, transposeB: true }) ?? gemmNT(a, b, m, k, n);
}

/** `A B` for row-major A (m x k) and B (k x n). */
export function productNN(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  compute: Compute,
): Float64Array {
  return viaEngine(compute, a, b, { m, k, n, transposeA: false, transposeB: false }) ?? gemmNN(a, b, m, k, n);
}

/** `A^T B` for row-major A (k x m) and B (k x n), on the calling thread unless an engine takes it. */
export function productTN(
  a: Float64Array,
  b: Float64Array,
  k: number,
  m: number,
  n: number,
  compute: Compute,
): Float64Array {
  return viaEngine(compute, a, b, { m, k, n, transposeA: true, transposeB: false }) ?? gemmTN(a, b, k, m, n);
}

/** `A A^T` for row-major A (m x k): an engine computes the full square, the built-in kernel half of it. */
export function gramNT(a: Float64Array, m: number, k: number, compute: Compute): Float64Array {
  return viaEngine(compute, a, a, { m, k, n: m, transposeA: false, transposeB: true }) ?? syrkNT(a, m, k);
}
