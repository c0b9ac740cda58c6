/**
 * A native engine for the large float64 matrix products behind the word-level functions
 * (`orthogonalProcrustes`, `cca`, `svcca`, `pwcca`, `linearCka` with n >> d). The built-in
 * products are cache-blocked wasm SIMD kernels (gemm.ts); an engine hands the big ones to
 * something faster, such as `@xling/align-onnxruntime` (onnxruntime's MLAS kernels). Kept as an
 * interface so `@xling/align` itself never depends on a native runtime.
 */
export interface ProductEngine {
  /** What runs the products, for reports (e.g. `'onnxruntime, 2 threads'`). */
  readonly name: string;
  /**
   * `C = op(A) op(B)` in float64, returned row-major m x n. `op(A)` is m x k: A is stored
   * row-major k x m when `transposeA`, else m x k; `op(B)` is k x n: B is stored n x k when
   * `transposeB`, else k x n. Only the first m k values of `a` and k n values of `b` belong to
   * the product (the arrays may be longer: reused buffers). Must be synchronous, must not modify
   * `a` or `b`, and must return a new array that the caller owns (it is modified in place).
   */
  multiply(a: Float64Array, b: Float64Array, shape: ProductShape): Float64Array;
}

/** The shape of one product of {@link ProductEngine.multiply}. */
export interface ProductShape {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** The `engine` option's constraint for `checkOptions`. */
export const ENGINE_CONSTRAINT = { type: 'object', methods: ['multiply'] } as const;
