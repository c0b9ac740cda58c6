import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN } from '../linalg/gemm.js';
import { thinSvd } from '../linalg/thin-svd.js';
import {
  applyRotation,
  denseRotation,
  nuclearNormOfCrossProduct,
  solveProcrustes,
} from './procrustes-core.js';

describe('solveProcrustes(a, b, n, d) thin path', () => {
  for (const [n, d] of [
    [5, 11],
    [17, 90],
  ]) {
    it(`equals the full d x d SVD path to 1e-12 on everything the data determine (n = ${n}, d = ${d})`, () => {
      const a = randomMatrix(n, d, 1).data;
      const b = randomMatrix(n, d, 2).data;
      const thin = solveProcrustes(a, b, n, d, 'allow');
      const m = gemmTN(a, b, n, d, d);
      const svd = thinSvd(m, d, d);
      const full = gemmNT(svd.u, svd.v, d, d, d);
      const fullScale = svd.s.reduce((s, v) => s + v, 0);
      expectClose(thin.nuclear, fullScale, { rtol: 1e-12 });
      expectClose(nuclearNormOfCrossProduct(a, b, n, d), fullScale, { rtol: 1e-12 });
      expectClose(applyRotation(a, n, thin.rotation), gemmNN(a, full, n, d, d), { atol: 1e-12 });
      const dense = denseRotation(thin.rotation);
      expectClose(gemmNN(a, dense, n, d, d), gemmNN(a, full, n, d, d), { atol: 1e-12 });
    });
  }
});
