import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/generalized-procrustes.json';
import { generalizedProcrustes } from './generalized-procrustes.js';

describe('generalizedProcrustes(matrices)', () => {
  for (const c of golden.cases) {
    it(`matches the numpy/scipy reference iteration to 1e-9: ${c.name}`, () => {
      const r = generalizedProcrustes(c.matrices);
      expect(r.iterations).toBe(c.iterations);
      expect(r.converged).toBe(c.converged);
      expectClose(r.residual, c.residual, { label: 'residual' });
      expectClose(r.consensus, c.consensus, { atol: 1e-11, label: 'consensus' });
      for (const [i, a] of r.aligned.entries())
        expectClose(a, c.aligned[i], { atol: 1e-11, label: `aligned[${i}]` });
    });
  }

  it('generalizedProcrustes(matrices, { maxIterations: 1 }) reports converged false when the cap is hit', () => {
    const r = generalizedProcrustes(golden.cases[1].matrices, { maxIterations: 1 });
    expect(r.iterations).toBe(1);
    expect(r.converged).toBe(false);
  });

  it('generalizedProcrustes(matrices) throws for fewer than 2 matrices, shape mismatch, one row, NaN', () => {
    const m = golden.cases[0].matrices[0];
    expect(() => generalizedProcrustes([m])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'matrices'.*at least 2/),
      }),
    );
    expect(() => generalizedProcrustes([])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => generalizedProcrustes([m, m.slice(1)])).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/matrices\[1\]/),
      }),
    );
    expect(() => generalizedProcrustes([[[1, 2]], [[1, 2]]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 rows/),
      }),
    );
    expect(() =>
      generalizedProcrustes([
        [[1], [Number.POSITIVE_INFINITY]],
        [[1], [2]],
      ]),
    ).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => generalizedProcrustes([m, m], { tolerance: -1 })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options.tolerance/),
      }),
    );
  });
});
