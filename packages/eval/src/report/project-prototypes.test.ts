import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { golden } from '../metrics/golden.js';
import { projectPrototypes } from './project-prototypes.js';

describe('projectPrototypes', () => {
  it("projectPrototypes(sets) equals sklearn PCA(2, svd_solver='full').fit_transform to 1e-12", () => {
    for (const c of golden.pca) {
      const r = projectPrototypes(c.sets);
      expectClose(
        r.points.map((p) => [p.x, p.y]),
        c.coordinates,
        { rtol: 0, atol: 1e-12 },
      );
      expectClose(r.explainedVarianceRatio, c.explainedVarianceRatio, { rtol: 0, atol: 1e-12 });
      expect(r.points[0]).toMatchObject({ language: 'lang0', label: 'C0' });
    }
  });

  it('projectPrototypes(sets, options) copies task, layer and space', () => {
    const r = projectPrototypes(
      [
        {
          language: 'en',
          labels: ['a', 'b'],
          prototypes: [
            [1, 0],
            [0, 1],
          ],
        },
      ],
      {
        task: 'upos',
        layer: 6,
        space: 'source',
      },
    );
    expect(r).toMatchObject({ task: 'upos', layer: 6, space: 'source' });
    // Two points: one axis carries all variance, the other none.
    expectClose(r.explainedVarianceRatio, [1, 0], { atol: 1e-12 });
    expect(r.points.every((p) => p.y === 0)).toBe(true);
  });

  it('projectPrototypes(one prototype) puts it at the origin', () => {
    const r = projectPrototypes([{ language: 'en', labels: ['a'], prototypes: [[3, 4]] }]);
    expect(r.points[0]).toMatchObject({ x: 0, y: 0 });
  });

  it('projectPrototypes(sets) throws on empty input, width mismatch, label mismatch and NaN', () => {
    expect(() => projectPrototypes([])).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() =>
      projectPrototypes([
        { language: 'a', labels: ['x'], prototypes: [[1, 2]] },
        { language: 'b', labels: ['x'], prototypes: [[1, 2, 3]] },
      ]),
    ).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
    expect(() => projectPrototypes([{ language: 'a', labels: [], prototypes: [[1, 2]] }])).toThrow(
      /sets\[0\]\.labels/,
    );
    expect(() =>
      projectPrototypes([{ language: 'a', labels: ['x'], prototypes: [[Number.NaN, 2]] }]),
    ).toThrow(/sets\[0\]\.prototypes/);
  });
});
