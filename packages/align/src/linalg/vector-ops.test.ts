import { createRng } from '@xling/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type VectorOps, setVectorKernel, vectorOps } from './vector-ops.js';

/** The heap after `run` on fresh random values (the wasm kernels share one memory, so one at a time). */
function after(elements: number, seed: number, run: (ops: VectorOps) => void): number[] {
  const ops = vectorOps(elements);
  const rng = createRng(seed);
  for (let i = 0; i < elements; i++) ops.heap[i] = rng.normal();
  run(ops);
  return Array.from(ops.heap);
}

describe.each(['wasm', 'scalar'] as const)('block kernels = one dot / axpy per column (%s)', (kernel) => {
  afterAll(() => setVectorKernel('wasm'));
  const cases = [0, 1, 2, 3, 7, 8, 9, 17, 40].flatMap((len) => [0, 1, 4].map((count) => [len, count]));

  it.each(cases)('reflect, gather and scatter at length %i over %i columns: bit-identical', (len, count) => {
    setVectorKernel(kernel);
    const stride = len + 3;
    const size = 200 + stride * 6;
    const d = 3.5;
    // v / x at 0, coefficients at 60, y (or the first column) at 100.
    const pairs: [(o: VectorOps) => void, (o: VectorOps) => void][] = [
      [
        (o) => o.reflect(0, 100, count, stride, len, d),
        (o) => {
          for (let c = 0; c < count; c++)
            o.axpy(-o.dot(0, 100 + c * stride, len) / d, 0, 100 + c * stride, len);
        },
      ],
      [
        (o) => o.gather(60, 100, stride, 0, count, len),
        (o) => {
          for (let c = 0; c < count; c++) o.axpy(o.heap[60 + c], 100 + c * stride, 0, len);
        },
      ],
      [
        (o) => o.scatter(60, 0, 100, stride, count, len, d),
        (o) => {
          for (let c = 0; c < count; c++) o.axpy(-o.heap[60 + c] / d, 0, 100 + c * stride, len);
        },
      ],
    ];
    for (const [block, loop] of pairs) {
      const seed = len * 10 + count;
      const untouched = after(size, seed, () => {});
      const got = after(size, seed, block);
      expect(got).toEqual(after(size, seed, loop));
      if (count > 0 && len > 0) expect(got).not.toEqual(untouched);
    }
  });
});
