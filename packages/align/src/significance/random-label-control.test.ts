import { randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { procrustesDisparity } from '../procrustes/procrustes-disparity.js';
import { randomLabelControl } from './random-label-control.js';

describe('randomLabelControl(x, y, statistic, options)', () => {
  it('randomLabelControl(x, y, disparity) puts a related pair far below the random-label floor', () => {
    const x = randomMatrix(17, 32, 1);
    const y = { ...x, data: x.data.map((v, k) => v + 0.1 * Math.sin(k)) };
    const r = randomLabelControl(x, y, (a, b) => procrustesDisparity(a, b), { repeats: 50, seed: 2 });
    expect(r.observed).toBeLessThan(0.05);
    expect(r.controlMean).toBeGreaterThan(0.1);
    expect(r.zScore).toBeLessThan(-5);
    expect(r.values).toHaveLength(50);
  });

  it('randomLabelControl(...) reports NaN z-score for a constant statistic', () => {
    expect(randomLabelControl([[1], [2]], [[1], [2]], () => 0.5, { repeats: 5 }).zScore).toBeNaN();
  });

  it('randomLabelControl(...) throws for empty, one row, NaN, shape mismatch and bad options', () => {
    const s = () => 0;
    expect(() => randomLabelControl([], [], s)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => randomLabelControl([[1]], [[1]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => randomLabelControl([[Number.NaN], [1]], [[1], [2]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => randomLabelControl([[1], [2]], [[1]], s)).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => randomLabelControl([[1], [2]], [[1], [2]], s, { repeats: 1 })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/options.repeats/) }),
    );
  });
});
