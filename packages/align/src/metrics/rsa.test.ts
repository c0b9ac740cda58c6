import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/rsa.json';
import type { RdmMetric } from './rdm.js';
import { type RsaMethod, rsa } from './rsa.js';

describe('rsa(x, y, options)', () => {
  for (const c of golden.cases) {
    for (const [metric, byMethod] of Object.entries(c.rsa)) {
      it(`matches pdist + scipy.stats correlations to 1e-9 (${metric}): ${c.name}`, () => {
        for (const [method, expected] of Object.entries(byMethod as Record<string, number>)) {
          expectClose(rsa(c.x, c.y, { metric: metric as RdmMetric, method: method as RsaMethod }), expected, {
            label: method,
          });
        }
      });
    }
  }

  it('rsa(x, y) is 1 for the same geometry in different dimensions', () => {
    expectClose(
      rsa(
        [
          [0, 0],
          [1, 0],
          [0, 2],
        ],
        [
          [0, 0, 0],
          [2, 0, 0],
          [0, 4, 0],
        ],
      ),
      1,
    );
  });

  it('rsa(x, y) throws for empty, two rows, NaN, row mismatch, constant RDM and bad options', () => {
    expect(() => rsa([], [])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => rsa([[1], [2]], [[1], [2]])).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 3 rows/),
      }),
    );
    expect(() => rsa([[1], [2], [Number.NaN]], [[1], [2], [3]])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => rsa([[1], [2], [3]], [[1], [2]])).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/'y'.*3 rows/),
      }),
    );
    expect(() =>
      rsa(
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        [[1], [2], [4]],
        { method: 'pearson' },
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'x'.*distances equal/),
      }),
    );
    expect(() => rsa([[1], [2], [3]], [[1], [2], [3]], { method: 'cosine' as RsaMethod })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/options.method/) }),
    );
  });
});
