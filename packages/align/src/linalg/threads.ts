import { ENGINE_CONSTRAINT, type ProductEngine } from './product-engine.js';

/**
 * The `threads` option shared by the functions whose cost is dominated by n-row products
 * (`X^T Y`, `X^T X` with n >> d): validated as an integer >= 1, default 1 (no worker threads).
 */
export const THREADS_CONSTRAINT = { type: 'integer', min: 1 } as const;

/** The `threads` and `engine` options' constraints, for the functions that take both. */
export const COMPUTE_CONSTRAINTS = { threads: THREADS_CONSTRAINT, engine: ENGINE_CONSTRAINT } as const;

/** Where the heavy linear algebra of one call runs: `threads` for the built-in kernels, or an engine. */
export interface Compute {
  threads: number;
  engine: ProductEngine | undefined;
}

/** Everything on the calling thread with the built-in kernels (the default of internal helpers). */
export const ON_CALLING_THREAD: Compute = Object.freeze({ threads: 1, engine: undefined });

/** The {@link Compute} of a public function's options. */
export function computeOf(options: { threads?: number; engine?: ProductEngine }): Compute {
  return { threads: options.threads ?? 1, engine: options.engine };
}

/**
 * Whether intermediate n-row arrays should live on SharedArrayBuffers: only when the built-in
 * kernels will split products over worker threads (an engine reads plain arrays).
 */
export function wantsSharedBuffers(compute: Compute): boolean {
  return compute.threads > 1 && compute.engine === undefined;
}
