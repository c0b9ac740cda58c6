import { randomMatrix } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { gemmTN, syrkTN } from './gemm.js';
import { parallelGemmTN, parallelSyrkTN, sharedFloat64, terminateParallelWorkers } from './parallel-gemm.js';

/** Largest |a - b| relative to the largest |b|. */
function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < b.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return diff / scale;
}

describe('parallelGemmTN(a, b, n, m, p, threads)', () => {
  afterAll(() => terminateParallelWorkers());
  const n = 2100;
  const a = randomMatrix(n, 70, 1).data;
  const b = randomMatrix(n, 61, 2).data;

  it('agrees with the single-thread product to 1e-12 for 2 and 3 threads', () => {
    const reference = gemmTN(a, b, n, 70, 61);
    for (const threads of [2, 3]) {
      const c = parallelGemmTN(a, b, n, 70, 61, threads);
      expect(relativeError(c, reference)).toBeLessThan(1e-12);
    }
  });

  it('is deterministic for a given thread count, and reads shared inputs in place', () => {
    const first = parallelGemmTN(a, b, n, 70, 61, 2);
    const sa = sharedFloat64(a.length);
    sa.set(a);
    const sb = sharedFloat64(b.length);
    sb.set(b);
    expect(parallelGemmTN(sa, sb, n, 70, 61, 2)).toEqual(first);
  });

  it('reuses its shared copy of the inputs across calls without mixing them up', () => {
    // Unshared inputs are copied into one reused buffer: each call must see its own data, also
    // when the next inputs are smaller, larger, or one of them is shared already.
    const a2 = randomMatrix(n, 70, 3).data;
    const big = randomMatrix(2 * n, 70, 4).data;
    const sb = sharedFloat64(b.length);
    sb.set(b);
    for (const [x, y, rows] of [
      [a, b, n],
      [a2, b, n],
      [big, randomMatrix(2 * n, 61, 5).data, 2 * n],
      [a2, sb, n],
      [a, b, n],
    ] as const) {
      expect(relativeError(parallelGemmTN(x, y, rows, 70, 61, 2), gemmTN(x, y, rows, 70, 61))).toBeLessThan(
        1e-12,
      );
    }
  });

  it('stays on the calling thread for small products or threads = 1', () => {
    expect(parallelGemmTN(a.subarray(0, 70 * 300), b.subarray(0, 61 * 300), 300, 70, 61, 4)).toEqual(
      gemmTN(a, b, 300, 70, 61),
    );
    expect(parallelGemmTN(a, b, n, 70, 61, 1)).toEqual(gemmTN(a, b, n, 70, 61));
  });
});

describe('parallelSyrkTN(a, n, m, threads)', () => {
  afterAll(() => terminateParallelWorkers());

  it('agrees with syrkTN to 1e-12 and is exactly symmetric', () => {
    const n = 1900;
    const m = 80;
    const a = randomMatrix(n, m, 3).data;
    const c = parallelSyrkTN(a, n, m, 2);
    expect(relativeError(c, syrkTN(a, n, m))).toBeLessThan(1e-12);
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) expect(c[i * m + j]).toBe(c[j * m + i]);
  });
});
