import { XlingError } from '@xling/core';
import { dqdsSingularValues } from './dqds.js';
import { formU, formV } from './householder-products.js';
import { RotationLog, replayRotationLog } from './rotation-log.js';
import { SvdWorker, useParallelSvd } from './svd-parallel.js';
import type { Svd } from './thin-svd.js';
import { sharedVectorOps, vectorOps } from './vector-ops.js';

/** Milliseconds spent per phase by the SVDs with vectors since `resetSvdProfile` (bench/svd.ts). */
export const svdProfile = { bidiagonalise: 0, form: 0, chase: 0, replay: 0, waitV: 0, rotations: 0 };

export function resetSvdProfile(): void {
  for (const key of Object.keys(svdProfile) as (keyof typeof svdProfile)[]) svdProfile[key] = 0;
}

/** The QR chase's rotation logs are replayed (and emptied) once either holds this many entries. */
let logFlush = 1 << 20;

/** For tests: the log length at which the chase replays its logs mid-way (default 2^20). */
export function setRotationLogFlush(entries: number): void {
  logFlush = entries;
}

function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = b / a;
    return x * Math.sqrt(1 + r * r);
  }
  if (y !== 0) {
    const r = a / b;
    return y * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** The last plane rotation `givens` made: [t, cs, sn] (one preallocated buffer, no garbage). */
const rotation = new Float64Array(3);

/**
 * The rotation taking (f, g) to (t, 0): t = sqrt(f^2 + g^2), cs = f / t, sn = g / t, into
 * `rotation`. The chase is a chain of dependent divisions and square roots: where the squares can
 * neither under- nor overflow, the plain formula (as LAPACK's dlartg) with one reciprocal instead
 * of two divisions takes about a quarter off its time. Elsewhere JAMA's scaled `hypot` and
 * divisions, with its guard t = MIN_VALUE for f = g = 0 (where 1 / t would overflow).
 */
function givens(f: number, g: number): void {
  let t = Math.sqrt(f * f + g * g);
  if (t > 1e-150 && t < 1e150) {
    const r = 1 / t;
    rotation[0] = t;
    rotation[1] = f * r;
    rotation[2] = g * r;
    return;
  }
  t = hypot(f, g);
  if (t === 0) t = Number.MIN_VALUE;
  rotation[0] = t;
  rotation[1] = f / t;
  rotation[2] = g / t;
}

/**
 * Golub-Kahan-Reinsch SVD of a row-major m x n matrix with m >= n: Householder
 * bidiagonalisation, then implicit-shift QR on the bidiagonal. This is JAMA's algorithm (the one
 * ml-matrix 6.15 runs), ported line by line onto one flat float64 heap: A, U and V are held
 * transposed so every inner loop is a sequential sweep, and those loops run as wasm SIMD
 * dot/axpy/rot kernels. About 10x faster than ml-matrix's own at 768 x 768 (1.2 s vs 14 s with
 * vectors, measured under load), same results to rounding.
 *
 * The QR chase runs on the bidiagonal alone and logs the row operations it would apply to U^T
 * and V^T (rotation-log.ts); the logs are then replayed on the factors. With `threads >= 2` and
 * n at least the parallel threshold (svd-parallel.ts), a pool worker forms and rotates V while
 * this thread does U: the result is bit-identical to `threads = 1`. Requires m >= n.
 *
 * @see Golub & Reinsch, Numer. Math. 14 (1970); JAMA `SingularValueDecomposition`
 */
export function golubKahanSvd(a: Float64Array, m: number, n: number, wantVectors: boolean, threads = 1): Svd {
  const wantu = wantVectors;
  const wantv = wantVectors;
  const start = performance.now();
  const nu = Math.min(m, n);
  const ni = Math.min(m + 1, n);
  // One heap holds the transposed working matrix, U^T, V^T and a work vector, so the O(n^3)
  // loops can run as wasm SIMD dot/axpy/rot kernels on it (element offsets below).
  const AT = 0;
  const UT = n * m;
  const VT = UT + (wantu ? nu * m : 0);
  const WORK = VT + (wantv ? n * n : 0);
  // The row reflector's coefficients e[k + 1..n), copied where the block kernels read them.
  const COEF = WORK + m;
  const elements = COEF + n;
  // With threads >= 2 the heap is shared with a pool worker, which forms and rotates V while
  // this thread does U (svd-parallel.ts).
  const shared = wantVectors && useParallelSvd(n, threads) ? sharedVectorOps(elements) : null;
  const ops = shared?.ops ?? vectorOps(elements);
  const { heap } = ops;
  // heap[AT + j * m + i] = A[i][j]: row j is column j of A. heap[UT + k * m + i] = U[i][k];
  // heap[VT + k * n + i] = V[i][k].
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) heap[AT + j * m + i] = a[i * n + j];
  const at = heap;
  const ut = heap;
  const vt = heap;
  const work = heap;
  const s = new Float64Array(ni);
  const e = new Float64Array(n);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  const mrc = Math.max(nct, nrt);

  for (let k = 0; k < mrc; k++) {
    const ak = AT + k * m;
    if (k < nct) {
      // One SIMD dot instead of a hypot per entry (a third of this loop's time at 37 x 37); the
      // scaled hypot chain only where the squares could under- or overflow.
      let norm = Math.sqrt(ops.dot(ak + k, ak + k, m - k));
      if (!(norm > 1e-145 && norm < 1e150)) {
        norm = 0;
        for (let i = k; i < m; i++) norm = hypot(norm, at[ak + i]);
      }
      if (norm !== 0) {
        if (at[ak + k] < 0) norm = -norm;
        for (let i = k; i < m; i++) at[ak + i] /= norm;
        at[ak + k] += 1;
      }
      s[k] = -norm;
    }
    // Apply the column reflector to the columns right of k: one kernel call for the block.
    if (k < nct && s[k] !== 0) ops.reflect(ak + k, AT + (k + 1) * m + k, n - k - 1, m, m - k, at[ak + k]);
    for (let j = k + 1; j < n; j++) e[j] = at[AT + j * m + k];
    if (wantu && k < nct) for (let i = k; i < m; i++) ut[UT + k * m + i] = at[ak + i];
    if (k < nrt) {
      let squares = 0;
      for (let i = k + 1; i < n; i++) squares += e[i] * e[i];
      let norm = Math.sqrt(squares);
      if (!(norm > 1e-145 && norm < 1e150)) {
        norm = 0;
        for (let i = k + 1; i < n; i++) norm = hypot(norm, e[i]);
      }
      if (norm !== 0) {
        if (e[k + 1] < 0) norm = -norm;
        for (let i = k + 1; i < n; i++) e[i] /= norm;
        e[k + 1] += 1;
      }
      e[k] = -norm;
      if (k + 1 < m && e[k] !== 0) {
        for (let i = k + 1; i < m; i++) work[WORK + i] = 0;
        work.set(e.subarray(k + 1, n), COEF);
        const first = AT + (k + 1) * m + k + 1;
        ops.gather(COEF, first, m, WORK + k + 1, n - k - 1, m - k - 1);
        ops.scatter(COEF, WORK + k + 1, first, m, n - k - 1, m - k - 1, e[k + 1]);
      }
      if (wantv) for (let i = k + 1; i < n; i++) vt[VT + k * n + i] = e[i];
    }
  }

  const p = Math.min(n, m + 1);
  if (nct < n) s[nct] = at[AT + nct * m + nct];
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = at[AT + (p - 1) * m + nrt];
  e[p - 1] = 0;

  const t0 = performance.now();
  if (!wantVectors) {
    bidiagonalSingularValues(s, e, m, n, p);
    return {
      u: new Float64Array(0),
      s: Float64Array.from(s.subarray(0, nu)),
      v: new Float64Array(0),
      m,
      n,
      k: nu,
    };
  }

  // U and V are formed from the Householder vectors, then the QR chase runs on s and e alone,
  // logging the rotations, swaps and sign flips it applies to the rows of U^T and V^T; the logs
  // are replayed onto them (each element gets the same operations as if rotated during the chase).
  // With threads >= 2 the pool worker forms and rotates V^T while this thread does U^T.
  const helper = shared === null ? null : new SvdWorker(ops, shared.shared);
  if (helper !== null) helper.formV(VT, n, nrt, e);
  else formV(ops, VT, n, nrt, e);
  formU(ops, UT, m, nu, nct, s);
  const t1 = performance.now();
  // About n^2 / 2 rotations per factor in practice: sized so a log rarely grows.
  const capacity = Math.min(logFlush + 2 * n, Math.max(1024, n * n));
  const logU = new RotationLog(capacity);
  const logV = new RotationLog(capacity);
  let replaying = 0;
  const flush = () => {
    const t = performance.now();
    svdProfile.rotations += logU.rotations + logV.rotations;
    if (helper !== null) helper.replayV(VT, n, logV.bytes());
    else replayRotationLog(ops, logV.bytes(), VT, n);
    replayRotationLog(ops, logU.bytes(), UT, m);
    logU.clear();
    logV.clear();
    replaying += performance.now() - t;
  };
  chase(s, e, m, n, p, logU, logV, flush);
  flush();
  const t2 = performance.now();
  helper?.finish();
  svdProfile.bidiagonalise += t0 - start;
  svdProfile.form += t1 - t0;
  svdProfile.chase += t2 - t1 - replaying;
  svdProfile.replay += replaying;
  svdProfile.waitV += performance.now() - t2;

  const u = new Float64Array(m * nu);
  for (let c = 0; c < nu; c++) for (let i = 0; i < m; i++) u[i * nu + c] = heap[UT + c * m + i];
  const v = new Float64Array(n * nu);
  for (let c = 0; c < nu; c++) for (let i = 0; i < n; i++) v[i * nu + c] = heap[VT + c * n + i];
  return { u, s: Float64Array.from(s.subarray(0, nu)), v, m, n, k: nu };
}

/**
 * The singular values of the bidiagonal (s, e) of order p, descending in s[0..p): by dqds
 * (dqds.ts; a quarter faster than the QR chase at p = 37, as fast at 17), or by the QR chase where
 * dqds declines (entries not finite, or out of range for squaring) or reaches its iteration cap.
 */
export function bidiagonalSingularValues(
  s: Float64Array,
  e: Float64Array,
  m: number,
  n: number,
  p: number,
): void {
  if (!dqdsSingularValues(s, e, p)) chase(s, e, m, n, p, null, null, () => {});
}

/**
 * JAMA's implicit-shift QR iteration on the bidiagonal (s, e) of order p, deflating to the
 * singular values; the row operations it applies to U^T and V^T are recorded in `logU` and
 * `logV` (when given), and `flush` is called between sweeps once a log is long.
 */
export function chase(
  s: Float64Array,
  e: Float64Array,
  m: number,
  n: number,
  p: number,
  logU: RotationLog | null,
  logV: RotationLog | null,
  flush: () => void,
): void {
  const pp = p - 1;
  const eps = Number.EPSILON;
  // QR sweeps take ~2 per singular value; a cap far above that guarantees termination (LAPACK's
  // dbdsqr caps too) where data outside the safe range (thin-svd.ts scales it in) would stall.
  const maxSweeps = 100 * Math.max(1, p);
  let sweeps = 0;
  while (p > 0) {
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      const alpha = Number.MIN_VALUE + eps * Math.abs(s[k] + Math.abs(s[k + 1]));
      if (Math.abs(e[k]) <= alpha || Number.isNaN(e[k])) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    if (kase === 1) {
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        logV?.rot(j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
        logU?.rot(j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      sweeps += 1;
      if (sweeps > maxSweeps) {
        throw new XlingError(
          'XLING_NOT_CONVERGED',
          `The SVD's QR iteration did not converge in ${maxSweeps} sweeps (order ${pp + 1}); the matrix may hold values outside float64's safe range.`,
        );
      }
      const scale = Math.max(
        Math.abs(s[p - 1]),
        Math.abs(s[p - 2]),
        Math.abs(e[p - 2]),
        Math.abs(s[k]),
        Math.abs(e[k]),
      );
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = b < 0 ? -Math.sqrt(b * b + c) : Math.sqrt(b * b + c);
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        givens(f, g);
        let cs = rotation[1];
        let sn = rotation[2];
        if (j !== k) e[j - 1] = rotation[0];
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        logV?.rot(j, j + 1, cs, sn);
        givens(f, g);
        cs = rotation[1];
        sn = rotation[2];
        s[j] = rotation[0];
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
        if (j < m - 1) logU?.rot(j, j + 1, cs, sn);
      }
      e[p - 2] = f;
    } else {
      if (s[k] <= 0) {
        s[k] = s[k] < 0 ? -s[k] : 0;
        logV?.negate(k);
      }
      while (k < pp) {
        if (s[k] >= s[k + 1]) break;
        const t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        if (k < n - 1) logV?.swap(k, k + 1);
        if (k < m - 1) logU?.swap(k, k + 1);
        k++;
      }
      p--;
    }
    if ((logU?.count ?? 0) >= logFlush || (logV?.count ?? 0) >= logFlush) flush();
  }
}
