import { InvalidArgumentError, type Matrix, ShapeMismatchError, checkOptions } from '@xling/core';
import { THREADS_CONSTRAINT } from '../linalg/threads.js';
import type { ConceptMeasure, MeasureOptions } from '../measures/concept-measure.js';
import { measureFromStatistic, measures } from '../measures/builtin-measures.js';
import type { MeasureRegistry } from '../measures/measure-registry.js';
import type { RsaOptions } from '../metrics/rsa.js';
import type { PairStatistic } from '../significance/statistic.js';
import { compareOnThreads } from './parallel-compare.js';
import {
  type MeasureSpec,
  type SharedUnits,
  measurePair,
  permutationOrders,
  runsOnWorkers,
} from './pair-work.js';

/** One language's concepts: a prototype vector per label, optionally with instance counts. */
export interface ConceptSpace {
  prototypes: Readonly<Record<string, ArrayLike<number>>> | ReadonlyMap<string, ArrayLike<number>>;
  /** Instances behind each prototype; labels under `minCount` are left out. */
  counts?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
}

/** Options of {@link compareConceptSpaces}. */
export interface CompareConceptSpacesOptions {
  /**
   * Measures to compute: ids of the registry (`measures.list()`), `*` wildcards allowed
   * (`'*Cka'`). @defaultValue ['procrustes', 'rsa']
   */
  metrics?: readonly string[];
  /** Per-measure options by id, e.g. `{ rsa: { method: 'pearson' }, rbfCka: { threshold: 0.5 } }`. */
  measureOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Extra statistics by name: `(x, y) => number` on the shared prototypes, higher = more alignable. */
  custom?: Readonly<Record<string, PairStatistic>>;
  /** Where `metrics` are looked up. @defaultValue the default registry {@link measures} */
  registry?: MeasureRegistry;
  /** Drop labels with fewer instances than this (only where `counts` are given). @defaultValue 1 */
  minCount?: number;
  /** Fewest shared labels a pair needs; at least each measure's own minimum. @defaultValue the largest of those */
  minShared?: number;
  /** Order of shared labels (labels not listed follow, sorted). @defaultValue sorted by code unit */
  labelOrder?: readonly string[];
  /** Shorthand for `measureOptions.rsa`. */
  rsa?: RsaOptions;
  /**
   * When > 0, also a permutation p-value per pair and measure (labels of the second language
   * shuffled, +1 correction; values at least as alignable as observed, in the measure's direction,
   * are extreme), with each measure's fast path where it has one.
   * @defaultValue 0
   */
  permutations?: number;
  /** Seed of the permutations; each pair draws from its own stream. @defaultValue 0 */
  seed?: number;
  /**
   * Threads to run on: the calling thread plus `threads - 1` pool workers share the languages'
   * preparation and the pairs (permutations included). The result is identical to one thread's.
   * Only built-in measures go to workers; with `custom` statistics or plugin measures the call
   * runs on the calling thread. @defaultValue 1
   */
  threads?: number;
}

/** Result of {@link compareConceptSpaces}: plain arrays, ready for JSON. */
export interface ConceptSpaceComparison {
  /** Languages in row/column order (sorted). */
  languages: string[];
  /** One symmetric languages x languages matrix per metric name. */
  metrics: Record<string, number[][]>;
  /** Number of shared labels of each pair. */
  shared: number[][];
  /** Permutation p-values per metric (only with `options.permutations`); null on the diagonal. */
  pValues?: Record<string, (number | null)[][]>;
}

interface Language {
  name: string;
  vectors: Map<string, Float64Array>;
  dimension: number;
}

function entries<T>(m: Readonly<Record<string, T>> | ReadonlyMap<string, T>): [string, T][] {
  return m instanceof Map ? [...m.entries()] : Object.entries(m as Record<string, T>);
}

function readLanguage(name: string, space: ConceptSpace, minCount: number, fn: string): Language {
  const where = `spaces.${name}`;
  if (
    typeof space !== 'object' ||
    space === null ||
    typeof space.prototypes !== 'object' ||
    space.prototypes === null
  ) {
    throw new InvalidArgumentError(where, fn, 'must be an object with a prototypes map (label -> vector).');
  }
  const counts = space.counts === undefined ? undefined : new Map(entries(space.counts));
  const vectors = new Map<string, Float64Array>();
  let dimension = -1;
  for (const [label, vector] of entries(space.prototypes)) {
    if (counts !== undefined && !((counts.get(label) ?? 0) >= minCount)) continue;
    // Float64Arrays are read in place (nothing here writes to them); the constructor copies other
    // arrays in one block, where `from` would iterate (and it would turn a number into zeros).
    const v =
      vector instanceof Float64Array
        ? vector
        : ArrayBuffer.isView(vector) || Array.isArray(vector)
          ? new Float64Array(vector as ArrayLike<number>)
          : Float64Array.from(vector as ArrayLike<number>);
    if (dimension === -1) dimension = v.length;
    if (v.length !== dimension || v.length === 0) {
      throw new ShapeMismatchError(
        `${where}.prototypes.${label}`,
        fn,
        `${dimension} entries like the other prototypes`,
        String(v.length),
      );
    }
    for (let j = 0; j < v.length; j++) {
      if (!Number.isFinite(v[j])) {
        throw new InvalidArgumentError(
          `${where}.prototypes.${label}`,
          fn,
          `must hold finite numbers, but entry ${j} is ${v[j]}.`,
        );
      }
    }
    vectors.set(label, v);
  }
  return { name, vectors, dimension };
}

/** A selected measure with its resolved options. */
interface Selected {
  measure: ConceptMeasure;
  options: MeasureOptions;
  /** What an error about its values names (custom statistics are options). */
  where: string;
}

/** The measures to compute: registry ids/patterns, then `custom` statistics. */
function selectMeasures(options: CompareConceptSpacesOptions, fn: string): Selected[] {
  const { metrics = ['procrustes', 'rsa'], measureOptions = {}, custom = {}, rsa } = options;
  const registry = options.registry ?? measures;
  if (!Array.isArray(metrics))
    throw new InvalidArgumentError('options.metrics', fn, 'must be an array of measure ids.');
  const chosen = registry.select(metrics, 'options.metrics', fn);
  for (const id of Object.keys(measureOptions)) {
    if (!chosen.some((m) => m.id === id))
      throw new InvalidArgumentError(
        `options.measureOptions.${id}`,
        fn,
        `names a measure that is not selected (${chosen.map((m) => m.id).join(', ')}).`,
      );
  }
  const selected = chosen.map((measure) => {
    const given =
      measure.id === 'rsa' && rsa ? { ...rsa, ...measureOptions.rsa } : measureOptions[measure.id];
    return { measure, options: registry.resolveOptions(measure, given, fn), where: 'spaces' };
  });
  for (const [name, f] of Object.entries(custom)) {
    if (typeof f !== 'function')
      throw new InvalidArgumentError(
        `options.custom.${name}`,
        fn,
        `must be a function, but got ${typeof f}.`,
      );
    if (selected.some((s) => s.measure.id === name))
      throw new InvalidArgumentError(`options.custom.${name}`, fn, 'has the id of a selected measure.');
    selected.push({ measure: measureFromStatistic(name, f), options: {}, where: `options.custom.${name}` });
  }
  return selected;
}

function checkDimensions(languages: Language[], selected: Selected[], fn: string): void {
  const needs = selected.find((s) => s.measure.sameDimension);
  if (!needs) return;
  const d = languages[0].dimension;
  for (const l of languages) {
    if (l.dimension !== d && l.dimension !== -1) {
      throw new ShapeMismatchError(
        `spaces.${l.name}`,
        fn,
        `prototypes of ${d} dimensions like '${languages[0].name}' (for '${needs.measure.id}')`,
        String(l.dimension),
      );
    }
  }
}

/** The prototypes of `labels` as matrix rows, with each measure's per-language state, cached. */
function stateCache(selected: Selected[]) {
  const matrices = new Map<string, Matrix<Float64Array>>();
  const states = new Map<string, unknown>();
  const matrix = (l: Language, labels: string[], key: string) => {
    const id = JSON.stringify([l.name, key]);
    let m = matrices.get(id);
    if (m === undefined) {
      const data = new Float64Array(labels.length * l.dimension);
      for (const [i, label] of labels.entries()) data.set(l.vectors.get(label)!, i * l.dimension);
      m = { rows: labels.length, cols: l.dimension, data };
      matrices.set(id, m);
    }
    return m;
  };
  const state = (s: number, l: Language, labels: string[], key: string) => {
    const id = JSON.stringify([s, l.name, key]);
    if (!states.has(id)) {
      const { measure, options } = selected[s];
      states.set(id, measure.prepare(matrix(l, labels, key), options, `spaces.${l.name}`));
    }
    return states.get(id);
  };
  return { matrix, state };
}

/**
 * The labels two languages share, in `order`, with a key naming that list (JSON, so labels may
 * hold any character). Languages with the same label set (the usual case) share one sorted list
 * instead of intersecting and sorting for every pair.
 */
function sharedLabels(languages: Language[], order: (a: string, b: string) => number) {
  const sorted = languages.map((l) => [...l.vectors.keys()].sort(order));
  const keys = sorted.map((labels) => JSON.stringify(labels));
  return (i: number, j: number): { labels: string[]; key: string } => {
    if (keys[i] === keys[j]) return { labels: sorted[i], key: keys[i] };
    const labels = sorted[i].filter((label) => languages[j].vectors.has(label));
    return { labels, key: JSON.stringify(labels) };
  };
}

const square = <T>(k: number, fill: T) => Array.from({ length: k }, () => new Array<T>(k).fill(fill));

/**
 * All-pairs comparison of concept spaces across languages (METHOD.md section 4): for each pair,
 * the labels both have (with at least `minCount` instances) in one consistent order, then each
 * selected measure of the registry ({@link measures}) on the two prototype matrices. Each
 * measure's per-language work (centring, thin QR, RDM ranks) is cached per label set, so when
 * languages share their labels each pair costs O(n^3) for Procrustes and O(n^2 log n) for RSA,
 * independent of the dimension.
 *
 * Remember the null (METHOD.md): report these beside {@link randomLabelControl} or the
 * `permutations` p-values.
 *
 * @param spaces - language -> {@link ConceptSpace}, at least 2 languages
 * @throws XLING_INVALID_ARGUMENT for fewer than 2 languages, non-finite vectors, an unknown
 * measure or option, a pair sharing fewer than `minShared` labels (the message names both
 * languages), a measure undefined on a pair; XLING_SHAPE_MISMATCH for prototypes of different
 * lengths (and across languages for measures that need one dimension, like `'procrustes'`).
 * @example
 * const { languages, metrics } = compareConceptSpaces({ en: { prototypes: en }, de: { prototypes: de } });
 * metrics.procrustes; // [[0, 0.12], [0.12, 0]]
 */
export function compareConceptSpaces(
  spaces: Readonly<Record<string, ConceptSpace>>,
  options: CompareConceptSpacesOptions = {},
): ConceptSpaceComparison {
  const fn = 'compareConceptSpaces';
  const {
    metrics: _m,
    measureOptions: _o,
    custom: _c,
    registry: _r,
    labelOrder,
    rsa: _rsa,
    ...rest
  } = options;
  checkOptions(
    rest,
    {
      minCount: { type: 'number', min: 0 },
      minShared: { type: 'integer', min: 2 },
      permutations: { type: 'integer', min: 0 },
      seed: { type: 'integer' },
      threads: THREADS_CONSTRAINT,
    },
    fn,
  );
  const selected = selectMeasures(options, fn);
  const floor = Math.max(...selected.map((s) => s.measure.minShared));
  const { minCount = 1, minShared = floor, permutations = 0, seed = 0, threads = 1 } = rest;
  if (minShared < floor) {
    const m = selected.find((s) => s.measure.minShared === floor)!.measure.id;
    throw new InvalidArgumentError(
      'options.minShared',
      fn,
      `must be at least ${floor} (what '${m}' needs), but got ${minShared}.`,
    );
  }
  if (typeof spaces !== 'object' || spaces === null) {
    throw new InvalidArgumentError(
      'spaces',
      fn,
      `must be an object of language -> concept space, but got ${spaces === null ? 'null' : typeof spaces}.`,
    );
  }
  const names = Object.keys(spaces).sort();
  if (names.length < 2)
    throw new InvalidArgumentError('spaces', fn, `must hold at least 2 languages, but got ${names.length}.`);
  const languages = names.map((name) => readLanguage(name, spaces[name], minCount, fn));
  checkDimensions(languages, selected, fn);
  const rank = new Map((labelOrder ?? []).map((label, i) => [label, i]));
  const order = (a: string, b: string) => {
    const ra = rank.get(a) ?? Number.POSITIVE_INFINITY;
    const rb = rank.get(b) ?? Number.POSITIVE_INFINITY;
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
  };
  const pairLabels = sharedLabels(languages, order);
  const specs = selected.map(({ measure, options: o }) => ({ measure, options: o }));
  if (threads > 1 && runsOnWorkers(specs)) {
    const pooled = compareOnPool(languages, specs, pairLabels, minShared, { permutations, seed, threads });
    if (pooled !== null) return { languages: names, ...pooled };
  }
  const cache = stateCache(selected);
  const k = languages.length;
  const ids = selected.map((s) => s.measure.id);
  const out = Object.fromEntries(ids.map((id) => [id, square(k, 0)]));
  const pValues = Object.fromEntries(ids.map((id) => [id, square<number | null>(k, null)]));
  const shared = square(k, 0);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const [a, b] = [languages[i], languages[j]];
      const { labels, key } = pairLabels(i, j);
      if (labels.length < minShared) {
        throw new InvalidArgumentError(
          'spaces',
          fn,
          `has languages '${a.name}' and '${b.name}' sharing ${labels.length} label${labels.length === 1 ? '' : 's'}${
            minCount > 1 ? ` with at least ${minCount} instances` : ''
          }, but at least ${minShared} are needed.`,
        );
      }
      shared[i][j] = shared[j][i] = labels.length;
      const orders =
        permutations > 0 && i !== j
          ? permutationOrders(seed, a.name, b.name, labels.length, permutations)
          : [];
      selected.forEach(({ measure, options: o, where }, s) => {
        const sa = cache.state(s, a, labels, key);
        const sb = cache.state(s, b, labels, key);
        const matrixB = () => cache.matrix(b, labels, key);
        const r = measurePair({ measure, options: o }, sa, sb, orders, matrixB, `spaces.${b.name}`);
        out[measure.id][i][j] = out[measure.id][j][i] = finite(
          r.value,
          measure.id,
          where,
          [a.name, b.name],
          fn,
        );
        if (r.p !== null) pValues[measure.id][i][j] = pValues[measure.id][j][i] = r.p;
      });
    }
  }
  return permutations > 0
    ? { languages: names, metrics: out, shared, pValues }
    : { languages: names, metrics: out, shared };
}

function finite(v: number, id: string, where: string, [a, b]: string[], fn: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new InvalidArgumentError(
    where,
    fn,
    `gives no finite '${id}' for '${a}' and '${b}' on their shared labels (got ${String(v)}${id === 'rsa' ? '; one RDM is constant' : ''}).`,
  );
}

/**
 * The all-pairs loop on the thread pool (parallel-compare.ts), with the same units and pairs and
 * so the same numbers. Null, for the one-thread loop to run instead, when a pair shares too few
 * labels or anything fails: that loop reports those errors, in its order.
 */
function compareOnPool(
  languages: Language[],
  specs: MeasureSpec[],
  pairLabels: (i: number, j: number) => { labels: string[]; key: string },
  minShared: number,
  run: { permutations: number; seed: number; threads: number },
): Omit<ConceptSpaceComparison, 'languages'> | null {
  const k = languages.length;
  const ids = new Map<string, number>();
  const rows: { language: Language; labels: string[] }[] = [];
  const unit = (l: number, labels: string[], key: string) => {
    const id = `${l}\u0000${key}`;
    if (!ids.has(id)) {
      ids.set(id, rows.length);
      rows.push({ language: languages[l], labels });
    }
    return ids.get(id) as number;
  };
  const shared = square(k, 0);
  const pairs: [number, number][] = [];
  const [a, b]: number[][] = [[], []];
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const { labels, key } = pairLabels(i, j);
      if (labels.length < minShared) return null;
      shared[i][j] = shared[j][i] = labels.length;
      a.push(unit(i, labels, key));
      b.push(unit(j, labels, key));
      pairs.push([i, j]);
    }
  }
  const ab = { a: Int32Array.from(a), b: Int32Array.from(b) };
  const table = compareOnThreads(specs, sharedUnits(rows), ab, run.permutations, run.seed, run.threads);
  if (table === null || !table.values.every(Number.isFinite)) return null;
  const metrics = Object.fromEntries(specs.map((s) => [s.measure.id, square(k, 0)]));
  const pValues = Object.fromEntries(specs.map((s) => [s.measure.id, square<number | null>(k, null)]));
  pairs.forEach(([i, j], p) => {
    specs.forEach(({ measure: { id } }, s) => {
      metrics[id][i][j] = metrics[id][j][i] = table.values[p * specs.length + s];
      const pv = table.pValues[p * specs.length + s];
      if (!Number.isNaN(pv)) pValues[id][i][j] = pValues[id][j][i] = pv;
    });
  });
  return run.permutations > 0 ? { metrics, shared, pValues } : { metrics, shared };
}

/** Each unit's prototypes as matrix rows in its label order, all on one SharedArrayBuffer. */
function sharedUnits(rows: { language: Language; labels: string[] }[]): SharedUnits {
  const offsets: number[] = [];
  let total = 0;
  for (const { language, labels } of rows) {
    offsets.push(total);
    total += labels.length * language.dimension;
  }
  const buffer = new SharedArrayBuffer(total * 8);
  const data = new Float64Array(buffer);
  rows.forEach(({ language, labels }, u) => {
    for (const [r, label] of labels.entries()) {
      data.set(language.vectors.get(label) as Float64Array, offsets[u] + r * language.dimension);
    }
  });
  return {
    buffer,
    offsets,
    rows: rows.map((r) => r.labels.length),
    cols: rows.map((r) => r.language.dimension),
    names: rows.map((r) => r.language.name),
  };
}
