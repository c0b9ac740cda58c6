import { type Matrix, createRng } from '@xling/core';
import { BUILTIN_MEASURES } from '../measures/builtin-measures.js';
import type { ConceptMeasure, MeasureOptions } from '../measures/concept-measure.js';
import { claim } from '../linalg/shared-counter.js';
import { permutation, pickRows } from '../significance/statistic.js';

/**
 * The work of `compareConceptSpaces`, in units that any thread can run with the same result: a
 * language's prepared states on one label set, and a pair's value and permutation p-value per
 * measure. The calling thread runs them one by one, or together with pool workers
 * (parallel-compare.ts), which reach the measures through `BUILTIN_MEASURES` by id.
 */

/** A measure with its resolved options. */
export interface MeasureSpec {
  measure: ConceptMeasure;
  options: MeasureOptions;
}

/** Value and permutation p-value (null without permutations) of one pair and measure. */
export interface PairResult {
  value: number;
  p: number | null;
}

/** The permutations of a pair: its own stream of the seed, named by both languages. */
export function permutationOrders(
  seed: number,
  a: string,
  b: string,
  n: number,
  count: number,
): Uint32Array[] {
  const rng = createRng(seed).fork(`${a}\u0000${b}`);
  return Array.from({ length: count }, () => permutation(n, (t) => rng.int(t)));
}

/** Permutation p-value with +1 correction; ties within 1e-12 relative count as extreme. */
function pValue(
  observed: number,
  orders: Uint32Array[],
  permuted: (p: Uint32Array) => number,
  higher: boolean,
): number {
  const slack = 1e-12 * Math.max(1, Math.abs(observed));
  let extreme = 0;
  for (const order of orders) {
    const v = permuted(order);
    if (higher ? v >= observed - slack : v <= observed + slack) extreme++;
  }
  return (1 + extreme) / (1 + orders.length);
}

/**
 * One measure on a pair of prepared languages, and its p-value over `orders` (rows of the second
 * language permuted: the measure's fast path, or preparing the permuted matrix again). A
 * non-finite value gets no p-value: the caller reports it.
 */
export function measurePair(
  { measure, options }: MeasureSpec,
  a: unknown,
  b: unknown,
  orders: Uint32Array[],
  matrixB: () => Matrix<Float64Array>,
  whereB: string,
): PairResult {
  const value = measure.compare(a, b, options);
  if (orders.length === 0 || !(typeof value === 'number' && Number.isFinite(value)))
    return { value, p: null };
  const permuted = (order: Uint32Array) =>
    measure.permuteRows
      ? measure.compare(a, measure.permuteRows(b, order), options)
      : measure.compare(a, measure.prepare(pickRows(matrixB(), order), options, whereB), options);
  return { value, p: pValue(value, orders, permuted, measure.higherIsMoreAlignable) };
}

/**
 * Whether pool workers can run these measures: built-ins only, which workers import themselves.
 * Registries hold copies, so a measure counts as built-in when it has a built-in's functions.
 */
export function runsOnWorkers(specs: readonly MeasureSpec[]): boolean {
  return specs.every(({ measure }) => {
    const builtin = BUILTIN_MEASURES.find((m) => m.id === measure.id);
    return (
      builtin !== undefined &&
      builtin.prepare === measure.prepare &&
      builtin.compare === measure.compare &&
      builtin.permuteRows === measure.permuteRows &&
      builtin.higherIsMoreAlignable === measure.higherIsMoreAlignable
    );
  });
}

/** A measure as a worker job names it. */
export interface MeasureRef {
  id: string;
  options: MeasureOptions;
}

export function measureRefs(specs: readonly MeasureSpec[]): MeasureRef[] {
  return specs.map((s) => ({ id: s.measure.id, options: s.options }));
}

function specsOf(refs: readonly MeasureRef[]): MeasureSpec[] {
  return refs.map(({ id, options }) => {
    const measure = BUILTIN_MEASURES.find((m) => m.id === id);
    if (measure === undefined) throw new Error(`no built-in measure '${id}'`);
    return { measure, options };
  });
}

/**
 * The prototype matrices of every (language, label set) unit, on one SharedArrayBuffer so that
 * workers read them without a copy: unit u is `rows[u] x cols` at float64 offset `offsets[u]`.
 */
export interface SharedUnits {
  buffer: SharedArrayBuffer;
  offsets: number[];
  rows: number[];
  cols: number[];
  /** Language name of each unit (error messages, permutation streams). */
  names: string[];
}

export function unitMatrix(units: SharedUnits, u: number): Matrix<Float64Array> {
  const rows = units.rows[u];
  const cols = units.cols[u];
  return { rows, cols, data: new Float64Array(units.buffer, units.offsets[u] * 8, rows * cols) };
}

/** Prepare every unit a thread claims: states[u][s] for measure s. */
export interface PrepareJob {
  kind: 'concept-prepare';
  measures: MeasureRef[];
  units: SharedUnits;
  next: SharedArrayBuffer;
}

export function prepareUnit(specs: readonly MeasureSpec[], units: SharedUnits, u: number): unknown[] {
  const where = `spaces.${units.names[u]}`;
  return specs.map(({ measure, options }) => measure.prepare(unitMatrix(units, u), options, where));
}

/**
 * Compare the pairs a thread claims. Pair k is units (a[k], b[k]); its values and p-values go to
 * `values[k * measures + s]` and `pValues[...]` (NaN for none).
 */
export interface CompareJob {
  kind: 'concept-compare';
  measures: MeasureRef[];
  units: SharedUnits;
  states: unknown[][];
  a: Int32Array;
  b: Int32Array;
  permutations: number;
  seed: number;
  values: SharedArrayBuffer;
  pValues: SharedArrayBuffer;
  next: SharedArrayBuffer;
}

/** Pairs per claim: enough to amortise the counter, few enough to balance the threads. */
export const PAIR_CHUNK = 8;

export function comparePair(specs: readonly MeasureSpec[], job: CompareJob, k: number): void {
  const values = new Float64Array(job.values);
  const pValues = new Float64Array(job.pValues);
  const [ua, ub] = [job.a[k], job.b[k]];
  const [na, nb] = [job.units.names[ua], job.units.names[ub]];
  const orders =
    job.permutations > 0 && ua !== ub
      ? permutationOrders(job.seed, na, nb, job.units.rows[ub], job.permutations)
      : [];
  specs.forEach((spec, s) => {
    const r = measurePair(
      spec,
      job.states[ua][s],
      job.states[ub][s],
      orders,
      () => unitMatrix(job.units, ub),
      `spaces.${nb}`,
    );
    values[k * specs.length + s] = r.value;
    pValues[k * specs.length + s] = r.p ?? Number.NaN;
  });
}

/** A pool worker's share of a job; the states it prepared go back to the caller through `reply`. */
export function runPairJob(
  job: PrepareJob | CompareJob,
  reply: (units: number[], states: unknown[][]) => void,
): void {
  const specs = specsOf(job.measures);
  if (job.kind === 'concept-compare') {
    claim(job.next, job.a.length, PAIR_CHUNK, (k) => comparePair(specs, job, k));
    return;
  }
  const done: number[] = [];
  const states: unknown[][] = [];
  claim(job.next, job.units.names.length, 1, (u) => {
    done.push(u);
    states.push(prepareUnit(specs, job.units, u));
  });
  reply(done, states);
}
