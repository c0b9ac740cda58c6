import { describe, expect, it } from 'vitest';
import { golden } from '../metrics/golden.js';
import { clusterOrder } from './cluster-order.js';

describe('clusterOrder', () => {
  it("clusterOrder(distances) equals scipy leaves_list(linkage(d, 'average'))", () => {
    for (const c of golden.cluster) expect(clusterOrder(c.distance)).toEqual(c.order);
  });

  it("clusterOrder(similarities, { kind: 'similarity' }) gives the same order as the matching distances", () => {
    for (const c of golden.cluster)
      expect(clusterOrder(c.similarity, { kind: 'similarity' })).toEqual(c.order);
  });

  it('clusterOrder(matrix) keeps tiny inputs and tolerates null entries', () => {
    expect(clusterOrder([])).toEqual([]);
    expect(clusterOrder([[0]])).toEqual([0]);
    expect(
      clusterOrder([
        [0, 9, 1],
        [9, 0, 8],
        [1, 8, 0],
      ]),
    ).toEqual([1, 0, 2]);
    const order = clusterOrder([
      [0, null, 1, 9],
      [null, 0, 9, 1],
      [1, 9, 0, null],
      [9, 1, null, 0],
    ]);
    expect([...order].sort()).toEqual([0, 1, 2, 3]);
    expect(Math.abs(order.indexOf(0) - order.indexOf(2))).toBe(1);
  });

  it('clusterOrder(matrix) throws XLING_SHAPE_MISMATCH when the matrix is not square', () => {
    expect(() => clusterOrder([[0, 1], [1]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
    expect(() => clusterOrder([[0, 1]], { kind: 'x' as never })).toThrow(/options.kind/);
  });
});
