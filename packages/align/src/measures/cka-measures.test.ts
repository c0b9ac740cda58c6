import { randomMatrix } from '@xling/core/testing';
import { compareConceptSpaces } from '../compare/compare-concept-spaces.js';
import { permutationOrders } from '../compare/pair-work.js';
import { describe, expect, it } from 'vitest';
import { linearCka } from '../metrics/linear-cka.js';
import { pickRows } from '../significance/statistic.js';
import { linearCkaMeasure as measure } from './cka-measures.js';

const plain = { debiased: false };

describe('linearCkaMeasure: Gram matrices prepared once, permutations as Gram permutations', () => {
  it('equals linearCka bit for bit on its Gram route (more columns than rows)', () => {
    for (const [n, d] of [
      [3, 4],
      [17, 256],
      [37, 40],
    ]) {
      const x = randomMatrix(n, d, n + d);
      const y = randomMatrix(n, d, n + d + 1);
      expect(measure.compare(measure.prepare(x, plain, 'x'), measure.prepare(y, plain, 'y'), plain)).toBe(
        linearCka(x, y),
      );
    }
  });

  it('a permuted language gives linearCka of the permuted rows (to 1e-14), also permuted twice', () => {
    const x = randomMatrix(12, 30, 1);
    const y = randomMatrix(12, 30, 2);
    const first = Uint32Array.from([3, 1, 0, 2, 11, 4, 5, 10, 9, 6, 7, 8]);
    const second = Uint32Array.from([1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10]);
    const a = measure.prepare(x, plain, 'x');
    const once = measure.permuteRows!(measure.prepare(y, plain, 'y'), first);
    const twice = measure.permuteRows!(once, second);
    const yFirst = pickRows(y, first);
    expect(measure.compare(a, once, plain)).toBeCloseTo(linearCka(x, yFirst), 14);
    expect(measure.compare(a, twice, plain)).toBeCloseTo(linearCka(x, pickRows(yFirst, second)), 14);
    // The debiased estimate and mismatched shapes go through linearCka on the permuted rows.
    const debiased = { debiased: true };
    expect(measure.compare(a, twice, debiased)).toBe(linearCka(x, pickRows(yFirst, second), debiased));
  });

  it('p-values through compareConceptSpaces equal a permutation test of linearCka on permuted rows', () => {
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const x = randomMatrix(8, 20, 7);
    const y = randomMatrix(8, 20, 8);
    for (let k = 0; k < x.data.length; k++) y.data[k] = 0.6 * x.data[k] + y.data[k];
    const space = (m: typeof x) => ({
      prototypes: Object.fromEntries(labels.map((l, i) => [l, m.data.subarray(i * 20, (i + 1) * 20)])),
    });
    const r = compareConceptSpaces(
      { p: space(x), q: space(y) },
      { metrics: ['linearCka'], permutations: 49, seed: 5 },
    );
    const observed = linearCka(x, y);
    const orders = permutationOrders(5, 'p', 'q', 8, 49);
    const extreme = orders.filter(
      (o) => linearCka(x, pickRows(y, o)) >= observed - 1e-12 * Math.max(1, observed),
    ).length;
    expect(r.metrics.linearCka[0][1]).toBe(observed);
    expect(r.pValues?.linearCka[0][1]).toBe((1 + extreme) / 50);
  });

  it('falls back to linearCka with fewer columns than rows, and reports zero variance like it', () => {
    const x = randomMatrix(20, 5, 3);
    const y = randomMatrix(20, 5, 4);
    const order = Uint32Array.from({ length: 20 }, (_, i) => 19 - i);
    const b = measure.permuteRows!(measure.prepare(y, plain, 'y'), order);
    expect(measure.compare(measure.prepare(x, plain, 'x'), b, plain)).toBe(linearCka(x, pickRows(y, order)));
    const flat = { rows: 3, cols: 4, data: new Float64Array(12).fill(2) };
    const z = randomMatrix(3, 4, 5);
    expect(() =>
      measure.compare(measure.prepare(flat, plain, 'x'), measure.prepare(z, plain, 'y'), plain),
    ).toThrow(/'x'.*zero variance/);
    expect(() => linearCka(flat, z)).toThrow(/'x'.*zero variance/);
  });
});
