import { drainWorker, postWorkerJob } from '../linalg/parallel-gemm.js';
import { claim } from '../linalg/shared-counter.js';
import {
  type CompareJob,
  type MeasureSpec,
  PAIR_CHUNK,
  type PrepareJob,
  type SharedUnits,
  comparePair,
  measureRefs,
  prepareUnit,
} from './pair-work.js';

let pooled = 0;

/** For tests: how many comparisons the pool has completed so far (not counting fallbacks). */
export function pooledCompareCount(): number {
  return pooled;
}

/** Values and p-values (NaN for none) of pair k and measure s at `k * measures + s`. */
export interface PairTable {
  values: Float64Array;
  pValues: Float64Array;
}

/**
 * `compareConceptSpaces` on `threads` threads: the calling thread and `threads - 1` pool workers
 * (parallel-gemm.ts) first prepare the (language, label set) units, then compare the pairs, each
 * claiming the next chunk from a shared counter. Every unit and pair is computed by the same code
 * whichever thread takes it, so the table is identical to one thread's. Returns null when anything
 * failed (a measure threw, a worker died): the caller then runs on one thread, which reports the
 * error exactly as it always has.
 */
export function compareOnThreads(
  specs: readonly MeasureSpec[],
  units: SharedUnits,
  pairs: { a: Int32Array; b: Int32Array },
  permutations: number,
  seed: number,
  threads: number,
): PairTable | null {
  // More threads than units or chunks of pairs would only start idle workers.
  const helpers = Math.min(threads, units.names.length, Math.ceil(pairs.a.length / PAIR_CHUNK)) - 1;
  const measures = measureRefs(specs);
  const states: unknown[][] = new Array(units.names.length);
  const prepare: PrepareJob = { kind: 'concept-prepare', measures, units, next: new SharedArrayBuffer(4) };
  const prepared = runShared(
    prepare,
    helpers,
    () =>
      claim(prepare.next, units.names.length, 1, (u) => {
        states[u] = prepareUnit(specs, units, u);
      }),
    (done, s) => {
      for (const [k, u] of done.entries()) states[u] = s[k];
    },
  );
  // A loop, not `some`: `some` skips the holes a failed unit leaves.
  for (let u = 0; u < states.length; u++) if (states[u] === undefined) return null;
  if (!prepared) return null;
  const count = pairs.a.length * specs.length;
  const compare: CompareJob = {
    kind: 'concept-compare',
    measures,
    units,
    states,
    ...pairs,
    permutations,
    seed,
    values: new SharedArrayBuffer(count * 8),
    pValues: new SharedArrayBuffer(count * 8),
    next: new SharedArrayBuffer(4),
  };
  const compared = runShared(compare, helpers, () =>
    claim(compare.next, pairs.a.length, PAIR_CHUNK, (k) => comparePair(specs, compare, k)),
  );
  if (compared) pooled += 1;
  return compared
    ? { values: new Float64Array(compare.values), pValues: new Float64Array(compare.pValues) }
    : null;
}

/**
 * Posts `job` to the helpers, runs the calling thread's share, then waits for every helper
 * (always, so the pool's job counts stay right). False when any share failed.
 */
function runShared(
  job: PrepareJob | CompareJob,
  helpers: number,
  own: () => void,
  onStates?: (units: number[], states: unknown[][]) => void,
): boolean {
  let ok = true;
  try {
    for (let t = 0; t < helpers; t++) postWorkerJob(t, job);
    own();
  } catch {
    ok = false;
  }
  for (let t = 0; t < helpers; t++) {
    const failure = drainWorker(t, undefined, (reply) => onStates?.(reply.units, reply.states));
    if (failure !== null) ok = false;
  }
  return ok;
}
