import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/rsa.json';
import { type RdmMetric, rdm } from './rdm.js';

describe('rdm(x, options)', () => {
  for (const c of golden.cases) {
    for (const [metric, [rx, ry]] of Object.entries(c.rdm)) {
      it(`matches scipy pdist(metric='${metric}') to 1e-9: ${c.name}`, () => {
        expectClose(rdm(c.x, { metric: metric as RdmMetric }), rx as number[], { atol: 1e-14 });
        expectClose(rdm(c.y, { metric: metric as RdmMetric }), ry as number[], { atol: 1e-14 });
      });
    }
  }

  it('rdm(x) gives the known 3-4-5 distances', () => {
    expectClose(
      rdm([
        [0, 0],
        [3, 4],
        [6, 8],
      ]),
      [5, 10, 5],
    );
  });

  it('rdm(x) throws for empty, one row, NaN, zero rows (cosine), constant rows (correlation), bad metric', () => {
    expect(() => rdm([])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => rdm([[1, 2]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 rows/),
      }),
    );
    expect(() =>
      rdm([
        [1, Number.NaN],
        [1, 2],
      ]),
    ).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() =>
      rdm(
        [
          [0, 0],
          [1, 2],
        ],
        { metric: 'cosine' },
      ),
    ).toThrow(expect.objectContaining({ message: expect.stringMatching(/zero row.*row 0/) }));
    expect(() =>
      rdm(
        [
          [1, 2],
          [3, 3],
        ],
        { metric: 'correlation' },
      ),
    ).toThrow(expect.objectContaining({ message: expect.stringMatching(/constant row.*row 1/) }));
    expect(() => rdm([[1], [2]], { metric: 'manhattan' as RdmMetric })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/options.metric/) }),
    );
  });
});
