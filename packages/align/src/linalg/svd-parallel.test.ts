import { XlingError } from '@xling/core';
import { expectClose, randomMatrix } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemmNT, gemmTN } from './gemm.js';
import { golubKahanSvd, setRotationLogFlush } from './golub-kahan-svd.js';
import { terminateParallelWorkers } from './parallel-gemm.js';
import { failNextParallelSvd, parallelSvdRunCount, setParallelSvdMinSize } from './svd-parallel.js';
import { thinSvd } from './thin-svd.js';
import { setVectorKernel } from './vector-ops.js';

/** Index of the first float64 whose bits differ (-1 if none): exact, including the sign of 0. */
function firstBitDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return 0;
  const a = new BigInt64Array(x.buffer, x.byteOffset, x.length);
  const b = new BigInt64Array(y.buffer, y.byteOffset, y.length);
  return a.findIndex((value, i) => value !== b[i]);
}

function expectBitIdentical(x: { u: Float64Array; s: Float64Array; v: Float64Array }, y: typeof x): void {
  expect(firstBitDifference(x.s, y.s)).toBe(-1);
  expect(firstBitDifference(x.u, y.u)).toBe(-1);
  expect(firstBitDifference(x.v, y.v)).toBe(-1);
}

function expectValidSvd(a: Float64Array, m: number, n: number, svd: ReturnType<typeof thinSvd>): void {
  const { u, s, v, k } = svd;
  const us = Float64Array.from(u, (x, i) => x * s[i % k]);
  expectClose(gemmNT(us, v, m, k, n), a, { atol: 1e-12 * Math.max(1, s[0]) });
  const identity = new Float64Array(k * k);
  for (let i = 0; i < k; i++) identity[i * k + i] = 1;
  expectClose(gemmTN(v, v, n, k, k), identity, { atol: 1e-12 });
  for (let i = 1; i < k; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
}

/** 130 x 97 of rank 40: products of random 130 x 40 and 40 x 97 factors. */
function rankDeficient(): Float64Array {
  const left = randomMatrix(130, 40, 5).data;
  const right = randomMatrix(97, 40, 6).data;
  return gemmNT(left, right, 130, 40, 97);
}

/** 60 x 60 Householder reflector times diag(3 x 20, 1 x 30, 0.5 x 10): heavily repeated values. */
function repeatedValues(): Float64Array {
  const d = 60;
  const w = randomMatrix(d, 1, 7).data;
  const ww = w.reduce((t, x) => t + x * x, 0);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const h = (i === j ? 1 : 0) - (2 * w[i] * w[j]) / ww;
      a[i * d + j] = h * (j < 20 ? 3 : j < 50 ? 1 : 0.5);
    }
  }
  return a;
}

const cases: [string, Float64Array, number, number][] = [
  ['a random 40 x 40', randomMatrix(40, 40, 1).data, 40, 40],
  ['a random 130 x 97', randomMatrix(130, 97, 2).data, 130, 97],
  ['a rank-40 130 x 97', rankDeficient(), 130, 97],
  ['a 60 x 60 with repeated singular values', repeatedValues(), 60, 60],
];

describe.each(['wasm', 'scalar'] as const)(
  'golubKahanSvd(a, m, n, true, threads) with %s kernels',
  (kernel) => {
    beforeAll(() => {
      setVectorKernel(kernel);
      setParallelSvdMinSize(16);
    });
    afterAll(async () => {
      setVectorKernel('wasm');
      setParallelSvdMinSize(160);
      await terminateParallelWorkers();
    });

    for (const [label, a, m, n] of cases) {
      it(`threads: 2 is bit-identical to threads: 1 for ${label}, and reconstructs it`, () => {
        const one = golubKahanSvd(a, m, n, true, 1);
        const before = parallelSvdRunCount();
        const two = golubKahanSvd(a, m, n, true, 2);
        expect(parallelSvdRunCount()).toBe(before + 1);
        expectBitIdentical(one, two);
        expectValidSvd(a, m, n, two);
      });
    }

    it('replaying the rotation logs mid-chase gives the same bits, on 1 and 2 threads', () => {
      const [, a, m, n] = cases[1];
      const whole = golubKahanSvd(a, m, n, true, 1);
      setRotationLogFlush(100);
      try {
        expectBitIdentical(golubKahanSvd(a, m, n, true, 1), whole);
        expectBitIdentical(golubKahanSvd(a, m, n, true, 2), whole);
      } finally {
        setRotationLogFlush(1 << 20);
      }
    });
  },
);

describe('thinSvd(a, m, n, threads)', () => {
  beforeAll(() => setParallelSvdMinSize(16));
  afterAll(async () => {
    setParallelSvdMinSize(160);
    await terminateParallelWorkers();
  });

  it('thinSvd(a, m, n, 2) of a wide 97 x 130 matrix is bit-identical to threads: 1', () => {
    const a = randomMatrix(97, 130, 3).data;
    const before = parallelSvdRunCount();
    expectBitIdentical(thinSvd(a, 97, 130, 2), thinSvd(a, 97, 130));
    expect(parallelSvdRunCount()).toBe(before + 1);
  });

  it('stays on the calling thread below the size threshold or with threads: 1', () => {
    setParallelSvdMinSize(160);
    const a = randomMatrix(130, 97, 4).data;
    const before = parallelSvdRunCount();
    thinSvd(a, 130, 97, 2);
    setParallelSvdMinSize(16);
    thinSvd(a, 130, 97, 1);
    expect(parallelSvdRunCount()).toBe(before);
  });

  it('a failing worker surfaces as an XlingError XLING_WORKER_FAILED, and the next call works', () => {
    const a = randomMatrix(130, 97, 5).data;
    failNextParallelSvd();
    let error: unknown;
    try {
      thinSvd(a, 130, 97, 2);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(XlingError);
    expect((error as XlingError).code).toBe('XLING_WORKER_FAILED');
    expect((error as Error).message).toMatch(/injected SVD worker failure/);
    expectBitIdentical(thinSvd(a, 130, 97, 2), thinSvd(a, 130, 97, 1));
  });
});
