/**
 * The `threads` option shared by the functions whose cost is dominated by n-row products
 * (`X^T Y`, `X^T X` with n >> d): validated as an integer >= 1, default 1 (no worker threads).
 */
export const THREADS_CONSTRAINT = { type: 'integer', min: 1 } as const;
