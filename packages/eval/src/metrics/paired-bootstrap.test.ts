import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { golden, TOLERANCE } from './golden.js';
import { pairedBootstrap } from './paired-bootstrap.js';

describe('pairedBootstrap', () => {
  it('pairedBootstrap(a, b, options) matches numpy on the same resamples to 1e-12', () => {
    for (const c of golden.paired) {
      const r = pairedBootstrap(c.a, c.b, { seed: c.seed, resamples: c.resamples, alpha: c.alpha });
      expectClose([r.estimateA, r.estimateB], [c.estimateA, c.estimateB], TOLERANCE);
      expectClose(r.difference, c.estimateA - c.estimateB, TOLERANCE);
      expectClose([r.lower, r.upper, r.pValue], [c.lower, c.upper, c.pValue], TOLERANCE);
      expectClose(r.standardError, c.standardError, { rtol: 1e-9, atol: 1e-12 });
    }
  });

  it('pairedBootstrap(a, a) gives a zero difference with p-value 1', () => {
    const c = golden.paired[0];
    expect(pairedBootstrap(c.a, c.a, { resamples: 50 })).toMatchObject({
      difference: 0,
      lower: 0,
      upper: 0,
      pValue: 1,
    });
  });

  it('pairedBootstrap(a, b) throws when the systems were scored on different sentences', () => {
    const a = [{ gold: ['x'], predicted: ['x'] }];
    expect(() => pairedBootstrap(a, [...a, ...a])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => pairedBootstrap(a, [{ gold: ['y'], predicted: ['y'] }])).toThrow(
      /'b\[0\]\.gold'.*same sentences/,
    );
    expect(() => pairedBootstrap([], a)).toThrow(/Argument 'a'/);
    expect(() => pairedBootstrap(a, a, { seed: 0.5 })).toThrow(/options.seed/);
  });
});
