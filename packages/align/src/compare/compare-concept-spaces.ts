import { InvalidArgumentError, type Matrix, ShapeMismatchError, checkOptions, createRng } from '@xling/core';
import { linearCka } from '../metrics/linear-cka.js';
import { averageRanks, kendallTauBOrNull, pearsonOrNull } from '../metrics/correlation-core.js';
import { RDM_METRICS, condensedDistances } from '../metrics/rdm.js';
import { RSA_METHODS, type RsaOptions } from '../metrics/rsa.js';
import {
  type ProcrustesFactor,
  nuclearNormFromFactors,
  procrustesFactor,
} from '../procrustes/procrustes-core.js';
import { standardize } from '../procrustes/standardize.js';
import { prepareStatistic } from '../significance/permuted-statistic.js';
import { type PairStatistic, permutation } from '../significance/statistic.js';

/** One language's concepts: a prototype vector per label, optionally with instance counts. */
export interface ConceptSpace {
  prototypes: Readonly<Record<string, ArrayLike<number>>> | ReadonlyMap<string, ArrayLike<number>>;
  /** Instances behind each prototype; labels under `minCount` are left out. */
  counts?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
}

/** Built-in metrics of {@link compareConceptSpaces}. */
export type ConceptMetric = 'procrustes' | 'rsa' | 'linearCka';

/** Options of {@link compareConceptSpaces}. */
export interface CompareConceptSpacesOptions {
  /** Built-in metrics to compute. @defaultValue ['procrustes', 'rsa'] */
  metrics?: readonly ConceptMetric[];
  /** Extra metrics by name: `(x, y) => number` on the shared prototypes (rows in shared order). */
  custom?: Readonly<Record<string, PairStatistic>>;
  /** Drop labels with fewer instances than this (only where `counts` are given). @defaultValue 1 */
  minCount?: number;
  /** Fewest shared labels a pair needs. @defaultValue 3 */
  minShared?: number;
  /** Order of shared labels (labels not listed follow, sorted). @defaultValue sorted by code unit */
  labelOrder?: readonly string[];
  /** RDM distance and correlation for `'rsa'`. @defaultValue euclidean, spearman */
  rsa?: RsaOptions;
  /**
   * When > 0, also a permutation p-value per pair and metric (labels of the second language
   * shuffled, +1 correction; small disparities and large similarities are extreme), with the
   * fast paths of {@link permutationTest} for `'procrustes'` and `'rsa'`.
   * @defaultValue 0
   */
  permutations?: number;
  /** Seed of the permutations; each pair draws from its own stream. @defaultValue 0 */
  seed?: number;
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
    const v = Float64Array.from(vector as ArrayLike<number>);
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

/**
 * All-pairs comparison of concept spaces across languages (METHOD.md section 4): for each pair,
 * the labels both have (with at least `minCount` instances) in one consistent order, then each
 * metric on the two prototype matrices. Per-language work (centring, thin QR, RDM ranks) is
 * cached per label set, so when languages share their labels each pair costs O(n^3) for
 * Procrustes and O(n^2 log n) for RSA, independent of the dimension.
 *
 * `'procrustes'` is scipy's disparity (lower = more alignable), `'rsa'` the RDM correlation,
 * `'linearCka'` linear CKA. Remember the null (METHOD.md): report these beside
 * {@link randomLabelControl} or {@link permutationTest}.
 *
 * @param spaces - language -> {@link ConceptSpace}, at least 2 languages
 * @throws XLING_INVALID_ARGUMENT for fewer than 2 languages, non-finite vectors, a pair sharing
 * fewer than `minShared` labels (the message names both languages), bad options;
 * XLING_SHAPE_MISMATCH for prototypes of different lengths (and across languages for
 * `'procrustes'`).
 * @example
 * const { languages, metrics } = compareConceptSpaces({ en: { prototypes: en }, de: { prototypes: de } });
 * metrics.procrustes; // [[0, 0.12], [0.12, 0]]
 */
export function compareConceptSpaces(
  spaces: Readonly<Record<string, ConceptSpace>>,
  options: CompareConceptSpacesOptions = {},
): ConceptSpaceComparison {
  const fn = 'compareConceptSpaces';
  const { metrics: metricList, custom, labelOrder, rsa: rsaOptions, ...rest } = options;
  checkOptions(
    rest,
    {
      minCount: { type: 'number', min: 0 },
      minShared: { type: 'integer', min: 3 },
      permutations: { type: 'integer', min: 0 },
      seed: { type: 'integer' },
    },
    fn,
  );
  const { minCount = 1, minShared = 3, permutations = 0, seed = 0 } = rest;
  const metrics = metricList ?? ['procrustes', 'rsa'];
  for (const m of metrics) {
    if (!['procrustes', 'rsa', 'linearCka'].includes(m)) {
      throw new InvalidArgumentError(
        'options.metrics',
        fn,
        `must list 'procrustes', 'rsa' or 'linearCka', but has '${m}'.`,
      );
    }
  }
  checkOptions(
    rsaOptions,
    { metric: { type: 'enum', values: RDM_METRICS }, method: { type: 'enum', values: RSA_METHODS } },
    fn,
  );
  const { metric: rdmMetric = 'euclidean', method = 'spearman' } = rsaOptions ?? {};
  for (const [name, f] of Object.entries(custom ?? {})) {
    if (typeof f !== 'function')
      throw new InvalidArgumentError(
        `options.custom.${name}`,
        fn,
        `must be a function, but got ${typeof f}.`,
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
  if (metrics.includes('procrustes')) {
    const d = languages[0].dimension;
    for (const l of languages) {
      if (l.dimension !== d && l.dimension !== -1) {
        throw new ShapeMismatchError(
          `spaces.${l.name}`,
          fn,
          `prototypes of ${d} dimensions like '${names[0]}' (for 'procrustes')`,
          String(l.dimension),
        );
      }
    }
  }
  const rank = new Map((labelOrder ?? []).map((label, i) => [label, i]));
  const order = (a: string, b: string) => {
    const ra = rank.get(a) ?? Number.POSITIVE_INFINITY;
    const rb = rank.get(b) ?? Number.POSITIVE_INFINITY;
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
  };

  const cache = new Map<
    string,
    { matrix: Matrix<Float64Array>; factor?: ProcrustesFactor; rdm?: Float64Array; ranks?: Float64Array }
  >();
  const prepared = (l: Language, labels: string[], key: string) => {
    const cacheKey = `${l.name}\u0000${key}`;
    let entry = cache.get(cacheKey);
    if (entry === undefined) {
      const n = labels.length;
      const d = l.dimension;
      const data = new Float64Array(n * d);
      for (let i = 0; i < n; i++) data.set(l.vectors.get(labels[i])!, i * d);
      entry = { matrix: { rows: n, cols: d, data } };
      cache.set(cacheKey, entry);
    }
    return entry;
  };

  const k = languages.length;
  const out: Record<string, number[][]> = {};
  const allMetricNames = [...metrics, ...Object.keys(custom ?? {})];
  for (const name of allMetricNames)
    out[name] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const shared = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const pValues: Record<string, (number | null)[][]> = {};
  for (const name of allMetricNames)
    pValues[name] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const a = languages[i];
      const b = languages[j];
      const labels = [...a.vectors.keys()].filter((label) => b.vectors.has(label)).sort(order);
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
      const key = labels.join('\u0000');
      const pa = prepared(a, labels, key);
      const pb = prepared(b, labels, key);
      const set = (name: string, v: number) => {
        out[name][i][j] = v;
        out[name][j][i] = v;
      };
      for (const metric of metrics) {
        if (metric === 'procrustes') {
          for (const [p, l] of [
            [pa, a],
            [pb, b],
          ] as const) {
            if (p.factor === undefined) {
              const std = standardize(p.matrix, `spaces.${l.name}`, fn);
              p.factor = procrustesFactor(std, p.matrix.rows, p.matrix.cols);
            }
          }
          const s = nuclearNormFromFactors(pa.factor!, pb.factor!);
          set('procrustes', Math.max(0, 1 - s * s));
        } else if (metric === 'rsa') {
          for (const [p, l] of [
            [pa, a],
            [pb, b],
          ] as const) {
            if (p.rdm === undefined) {
              p.rdm = condensedDistances(
                p.matrix.data,
                p.matrix.rows,
                p.matrix.cols,
                rdmMetric,
                `spaces.${l.name}`,
                fn,
              );
              if (method === 'spearman') p.ranks = averageRanks(p.rdm);
            }
          }
          const r =
            method === 'spearman'
              ? pearsonOrNull(pa.ranks!, pb.ranks!)
              : method === 'pearson'
                ? pearsonOrNull(pa.rdm!, pb.rdm!)
                : kendallTauBOrNull(pa.rdm!, pb.rdm!);
          if (r === null) {
            throw new InvalidArgumentError(
              'spaces',
              fn,
              `has a constant RDM for '${a.name}' or '${b.name}' on their shared labels.`,
            );
          }
          set('rsa', r);
        } else {
          set('linearCka', linearCka(pa.matrix, pb.matrix));
        }
      }
      for (const [name, statistic] of Object.entries(custom ?? {})) {
        const v = statistic(pa.matrix, pb.matrix);
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new InvalidArgumentError(
            `options.custom.${name}`,
            fn,
            `must return a finite number, but returned ${String(v)} for '${a.name}' and '${b.name}'.`,
          );
        }
        set(name, v);
      }
      if (permutations > 0 && i !== j) {
        const rng = createRng(seed).fork(`${a.name}\u0000${b.name}`);
        const orders = Array.from({ length: permutations }, () =>
          permutation(labels.length, (t) => rng.int(t)),
        );
        for (const name of allMetricNames) {
          const statistic: PairStatistic | 'procrustes' | 'rsa' =
            name === 'procrustes' || name === 'rsa'
              ? name
              : name === 'linearCka'
                ? (x, y) => linearCka(x, y)
                : custom![name];
          const prepared = prepareStatistic(statistic, pa.matrix, pb.matrix, rsaOptions, fn);
          const observed = out[name][i][j];
          const slack = 1e-12 * Math.max(1, Math.abs(observed));
          let extreme = 0;
          for (const order of orders) {
            const v = prepared.permuted(order);
            if (name === 'procrustes' ? v <= observed + slack : v >= observed - slack) extreme++;
          }
          const p = (1 + extreme) / (1 + permutations);
          pValues[name][i][j] = p;
          pValues[name][j][i] = p;
        }
      }
    }
  }
  return permutations > 0
    ? { languages: names, metrics: out, shared, pValues }
    : { languages: names, metrics: out, shared };
}
