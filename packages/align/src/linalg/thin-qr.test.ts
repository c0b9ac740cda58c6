import { expectClose, randomMatrix } from '@xling/core/testing';
import { describe, it } from 'vitest';
import { gemmNT, gemmTN } from './gemm.js';
import { thinQFromQr, thinQrOfRows } from './thin-qr.js';

describe('thinQrOfRows(a, n, d)', () => {
  it('gives R with R^T R = A A^T and Q^T with orthonormal rows and Q R = A^T, also for a zero row', () => {
    const a = randomMatrix(6, 40, 1);
    a.data.fill(0, 2 * 40, 3 * 40);
    const qr = thinQrOfRows(a.data, 6, 40);
    const r = qr.r;
    expectClose(gemmTN(r, r, 6, 6, 6), gemmNT(a.data, a.data, 6, 40, 6), { atol: 1e-12 });
    const qt = thinQFromQr(qr);
    const identity = new Float64Array(36);
    for (let i = 0; i < 6; i++) identity[i * 7] = 1;
    expectClose(gemmNT(qt, qt, 6, 40, 6), identity, { atol: 1e-14 });
    // A = R^T Q^T
    expectClose(gemmTN(r, qt, 6, 6, 40), a.data, { atol: 1e-12 });
  });
});
