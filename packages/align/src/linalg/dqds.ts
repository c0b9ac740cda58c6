/** LAPACK dlasq2's tolerance, 100 eps, squared because the qd arrays hold squares. */
const TOL2 = (100 * Number.EPSILON) ** 2;

/**
 * Singular values of the n x n upper bidiagonal with diagonal `s` and superdiagonal `e` (e[i]
 * couples s[i] and s[i + 1]; signs do not matter), by the dqds algorithm (Fernando & Parlett 1994)
 * on the squares q = s^2, z = e^2: the values-only method of LAPACK's dlasq1, which numpy's
 * `svd(compute_uv=False)` runs. Writes them, descending, into `s[0..n)` and returns true; returns
 * false with `s` untouched when an entry is not finite or out of range for squaring (see
 * `squaresInRange`) or the iteration cap is reached, for the caller to fall back on.
 */
export function dqdsSingularValues(s: Float64Array, e: Float64Array, n: number): boolean {
  if (n === 0) return true;
  if (!squaresInRange(s, e, n)) return false;
  const state = new DqdsState(s, e, n);
  if (!state.solve()) return false;
  const values = state.values;
  for (let i = 0; i < n; i++) values[i] = Math.sqrt(values[i]);
  values.sort().reverse();
  s.set(values);
  return true;
}

/**
 * Whether every entry is finite and their squares keep their relative accuracy: the largest within
 * 1e-140..1e140 and no nonzero entry below 1e-100 of it (dqds works on squares, where smaller ones
 * would underflow). Callers scale into that range first (thin-svd.ts) or take the QR chase.
 */
function squaresInRange(s: Float64Array, e: Float64Array, n: number): boolean {
  let largest = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 2 * n - 1; i++) {
    const v = Math.abs(i < n ? s[i] : e[i - n]);
    if (!Number.isFinite(v)) return false;
    if (v > largest) largest = v;
    if (v > 0 && v < smallest) smallest = v;
  }
  return largest === 0 || (largest >= 1e-140 && largest <= 1e140 && smallest >= largest * 1e-100);
}

/**
 * The working arrays: q and z (the current qd arrays) and their ping-pong partners, which a
 * transform writes before the roles swap.
 */
class DqdsState {
  q: Float64Array;
  z: Float64Array;
  nq: Float64Array;
  nz: Float64Array;
  readonly values: Float64Array;
  /** A coupling below this moves no singular value by more than eps * ||B||. */
  readonly negligible: number;
  private found = 0;
  private transforms = 0;
  /** From the last transform: Laguerre's next shift, for the segment and for it minus its bottom. */
  private shift = 0;
  private innerShift = 0;

  constructor(
    s: Float64Array,
    e: Float64Array,
    readonly n: number,
  ) {
    this.q = new Float64Array(n);
    this.z = new Float64Array(n);
    this.nq = new Float64Array(n);
    this.nz = new Float64Array(n);
    this.values = new Float64Array(n);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      this.q[i] = s[i] * s[i];
      this.z[i] = i < n - 1 ? e[i] * e[i] : 0;
      largest = Math.max(largest, this.q[i] + this.z[i]);
    }
    // ||B||^2 <= 2 max(q_i + z_i), and dropping a coupling sqrt(z) moves values by at most that.
    this.negligible = 2 * Number.EPSILON * Number.EPSILON * largest;
  }

  /**
   * Deflates from the bottom of each unreduced segment. Shifts come from Laguerre's method on
   * det(T - tau), T = B^T B: each transform differentiates its pivots twice (see `transform`).
   * For a polynomial with real roots, Laguerre's step from below the smallest root never passes it
   * and converges cubically, so shifted transforms do not fail in exact arithmetic. The pivots but
   * the last multiply to the determinant of the segment minus its bottom row, so after a deflation
   * the next shift is known without another transform. A coupling is dropped when it moves no
   * value by more than eps * ||B|| (what the QR chase guarantees) or the bottom value by more than
   * 100 eps of itself (dlasq3's test).
   */
  solve(): boolean {
    // Unreduced segments still to do, as (lo, hi, accumulated shift) triples.
    const pending: number[] = [0, this.n - 1, 0];
    while (pending.length > 0) {
      let sigma = pending.pop() as number;
      let hi = pending.pop() as number;
      let lo = pending.pop() as number;
      let tau = 0;
      // Whether the last transform ran on [lo, hi + 1], so `innerShift` is [lo, hi]'s shift.
      let fresh = false;
      while (hi >= lo) {
        const { q, z } = this;
        if (hi === lo) {
          this.values[this.found++] = q[lo] + sigma;
          break;
        }
        if (z[hi - 1] <= this.negligible || z[hi - 1] <= TOL2 * (sigma + q[hi])) {
          this.values[this.found++] = q[hi] + sigma;
          hi--;
          tau = fresh ? this.innerShift : 0;
          fresh = false;
          continue;
        }
        const split = lastNegligible(z, lo, hi - 2, this.negligible);
        if (split >= 0) {
          // The pending segment must be valid in both arrays, whichever is current later.
          this.nq.set(q.subarray(lo, split + 1), lo);
          this.nz.set(z.subarray(lo, split + 1), lo);
          pending.push(lo, split, sigma);
          lo = split + 1;
          tau = 0;
          fresh = false;
          continue;
        }
        if (hi === lo + 1) {
          const [big, small] = twoByTwo(q[lo], z[lo], q[hi]);
          this.values[this.found++] = big + sigma;
          this.values[this.found++] = small + sigma;
          break;
        }
        if (++this.transforms > 100 * this.n) return false;
        if (!this.transform(lo, hi, tau)) {
          // Laguerre's step overshoots a tight cluster (n s2 - s1^2 cancels) to about its middle: a
          // thousandth less lands just below it, where the next step sees the cluster's spread.
          // Unshifted never fails.
          tau *= 1 - 1e-3;
          if (tau === 0 || !this.transform(lo, hi, tau)) {
            tau = 0;
            if (!this.transform(lo, hi, 0)) return false;
          }
        }
        sigma += tau;
        tau = this.shift;
        fresh = true;
      }
    }
    return true;
  }

  /**
   * One dqds transform with shift tau on [lo, hi] into the partner arrays, which become current
   * when every pivot stays nonnegative (tau at most the smallest eigenvalue); false otherwise.
   * The pivots p_i (d_i + z_i, then the last d) multiply to det(T - tau); d' and d'' follow by
   * differentiating d_{i+1} = d_i q_{i+1} / p_i - tau, and the sums of p'/p and p''/p - (p'/p)^2
   * are -sum 1/(lambda - tau) and -sum 1/(lambda - tau)^2, which Laguerre's step needs.
   */
  private transform(lo: number, hi: number, tau: number): boolean {
    const { q, z, nq, nz } = this;
    let d = q[lo] - tau;
    if (!(d >= 0)) return false;
    let d1 = -1;
    let d2 = 0;
    let g = 0;
    let h = 0;
    for (let i = lo; i < hi; i++) {
      const p = d + z[i];
      if (!(p > 0)) return false;
      const r = 1 / p;
      const t = q[i + 1] * r;
      const zi = z[i] * t;
      nz[i] = zi;
      nq[i] = p;
      const u = d1 * r;
      g += u;
      h += d2 * r - u * u;
      const w = zi * r;
      d2 = w * (d2 - 2 * d1 * u);
      d1 = d1 * w - 1;
      d = d * t - tau;
      if (!(d >= 0)) return false;
    }
    nq[hi] = d;
    this.q = nq;
    this.z = nz;
    this.nq = q;
    this.nz = z;
    const size = hi - lo + 1;
    this.innerShift = laguerreStep(size - 1, -g, -h);
    this.shift = 0;
    if (d > 0) {
      const u = d1 / d;
      this.shift = laguerreStep(size, -(g + u), -(h + d2 / d - u * u));
    }
    return true;
  }
}

/** The largest i in [lo, hi] with z[i] <= limit, or -1. */
function lastNegligible(z: Float64Array, lo: number, hi: number, limit: number): number {
  for (let i = hi; i >= lo; i--) if (z[i] <= limit) return i;
  return -1;
}

/**
 * Eigenvalues of the 2 x 2 qd pair (q1, z1, q2), i.e. of [[q1, sqrt(q1 z1)], [., z1 + q2]], larger
 * first; the discriminant and the product formula for the smaller one add positive terms only.
 */
function twoByTwo(q1: number, z1: number, q2: number): [number, number] {
  const d = q1 - q2 + z1;
  const big = (q1 + z1 + q2 + Math.sqrt(d * d + 4 * q2 * z1)) / 2;
  return [big, big > 0 ? (q1 * q2) / big : 0];
}

/**
 * Laguerre's step from 0 towards the smallest root of a degree-n polynomial with real positive
 * roots, from s1 = sum 1/lambda and s2 = sum 1/lambda^2: n / (s1 + sqrt((n - 1)(n s2 - s1^2))),
 * taken a hair short (4 n eps): a shift equal to the root leaves the last pivot to rounding.
 */
function laguerreStep(n: number, s1: number, s2: number): number {
  if (n < 1) return 0;
  const step = n / (s1 + Math.sqrt((n - 1) * Math.max(0, n * s2 - s1 * s1)));
  return step > 0 && step < Number.POSITIVE_INFINITY ? step * (1 - 4 * n * Number.EPSILON) : 0;
}
