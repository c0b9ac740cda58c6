import { randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { RotationLog, replayRotationLog } from './rotation-log.js';
import { vectorOps } from './vector-ops.js';

describe('replayRotationLog(ops, bytes, base, len)', () => {
  it('applies rotations, sign flips and swaps in log order, as direct row operations do', () => {
    const rows = 5;
    const len = 7;
    const base = 3;
    const start = randomMatrix(rows, len, 1).data;
    const log = new RotationLog(2);
    const expected = Array.from({ length: rows }, (_, r) =>
      Array.from(start.subarray(r * len, (r + 1) * len)),
    );
    const rot = (a: number, b: number, cs: number, sn: number) => {
      log.rot(a, b, cs, sn);
      const x = expected[a];
      const y = expected[b];
      for (let i = 0; i < len; i++) [x[i], y[i]] = [cs * x[i] + sn * y[i], cs * y[i] - sn * x[i]];
    };
    rot(0, 1, 0.6, 0.8);
    rot(3, 2, Math.SQRT1_2, -Math.SQRT1_2);
    log.negate(4);
    expected[4] = expected[4].map((x) => -x);
    log.swap(0, 4);
    [expected[0], expected[4]] = [expected[4], expected[0]];
    rot(4, 1, 0.28, 0.96);
    expect(log.count).toBe(5);
    expect(log.rotations).toBe(3);

    const ops = vectorOps(base + rows * len);
    ops.heap.set(start, base);
    replayRotationLog(ops, log.bytes(), base, len);
    expect(Array.from(ops.heap.subarray(base, base + rows * len))).toEqual(expected.flat());
    log.clear();
    expect(log.count).toBe(0);
  });
});
