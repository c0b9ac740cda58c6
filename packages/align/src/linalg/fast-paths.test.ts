import { expectClose } from '@xling/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import golden from '../__fixtures__/large.json';
import { cca } from '../cca/cca.js';
import { orthogonalProcrustes } from '../procrustes/orthogonal-procrustes.js';
import { procrustes } from '../procrustes/procrustes.js';
import { gemmNN } from './gemm.js';
import { setVectorKernel } from './vector-ops.js';

/** The generator of make_golden.py's `formula`: exact integer arithmetic and one division. */
function formula(n: number, d: number, seed: number) {
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      data[i * d + j] =
        ((i * i * 7 + j * j * 13 + i * j * 31 + i * 17 + j * 5 + seed * 101) % 1009) / 1009 - 0.5;
    }
  }
  return { rows: n, cols: d, data };
}

function rowSums(m: { rows: number; cols: number; data: Float64Array }) {
  return Array.from({ length: m.rows }, (_, i) =>
    m.data.subarray(i * m.cols, (i + 1) * m.cols).reduce((s, v) => s + v, 0),
  );
}

describe.each(['wasm', 'scalar'] as const)(
  'Golub-Kahan and thin paths on larger inputs (%s kernels)',
  (kernel) => {
    beforeAll(() => setVectorKernel(kernel));
    afterAll(() => setVectorKernel('wasm'));

    it('orthogonalProcrustes(a, b) with d = 110 > 96 matches scipy to 1e-9', () => {
      const g = golden.orthogonal;
      const a = formula(g.n, g.d, g.seedA);
      const b = formula(g.n, g.d, g.seedB);
      b.data.forEach((v, k) => {
        b.data[k] = 0.5 * a.data[k] + v;
      });
      const { rotation, scale } = orthogonalProcrustes(a, b);
      expectClose(scale, g.scale, { label: 'scale' });
      const corner = [0, 1, 2, 3].map((i) => Array.from(rotation.data.subarray(i * g.d, i * g.d + 4)));
      expectClose(corner, g.corner, { atol: 1e-11, label: 'R[:4, :4]' });
      const sums = Array.from({ length: g.d }, (_, j) => {
        let s = 0;
        for (let i = 0; i < g.d; i++) s += rotation.data[i * g.d + j];
        return s;
      });
      expectClose(sums, g.columnSums, { atol: 1e-10, label: 'column sums of R' });
      expectClose(
        gemmNN(a.data, rotation.data, g.n, g.d, g.d).reduce((s, v) => s + v, 0),
        g.aRotatedSum,
        { atol: 1e-9 },
      );
      const p = procrustes(a, b);
      expectClose(p.disparity, golden.procrustes.disparity, { label: 'disparity' });
      expectClose(rowSums(p.mtx2), golden.procrustes.mtx2RowSums, { atol: 1e-12, label: 'mtx2 row sums' });
    });

    it('cca(x, y) with 110 and 100 columns matches the QR (Bjorck-Golub) correlations to 1e-9', () => {
      const g = golden.cca;
      const x = formula(g.nx, g.dx, g.seedX);
      const y = formula(g.nx, g.dy, g.seedY);
      for (let i = 0; i < g.nx; i++)
        for (let j = 0; j < g.dy; j++) y.data[i * g.dy + j] += 0.3 * x.data[i * g.dx + j];
      expectClose(cca(x, y, { weights: false }).correlations, g.correlations, { atol: 1e-10 });
      expectClose(cca(x, y).correlations, g.correlations, { atol: 1e-10 });
    });

    it('procrustes(x, y) thin path at 20 x 300 matches scipy to 1e-9', () => {
      const g = golden.thin;
      const p = procrustes(formula(g.n, g.d, g.seedA), formula(g.n, g.d, g.seedB));
      expectClose(p.disparity, g.disparity);
      expectClose(rowSums(p.mtx2), g.mtx2RowSums, { atol: 1e-12 });
      expectClose(
        [0, 1, 2].map((i) => Array.from(p.mtx2.data.subarray(i * g.d, i * g.d + 5))),
        g.mtx2Corner,
        { atol: 1e-12 },
      );
    });
  },
);
