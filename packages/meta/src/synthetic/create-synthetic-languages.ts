import { type OptionConstraints, checkOptions, createRng, type Rng } from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';

/** Options of {@link createSyntheticLanguages}. */
export interface SyntheticLanguagesOptions {
  /** Language codes to make. @defaultValue ['l0', 'l1', 'l2', 'l3'] */
  languages?: readonly string[];
  /** Number of concepts (labels). @defaultValue 6 */
  numLabels?: number;
  /** Vector width d. @defaultValue 16 */
  dimension?: number;
  /** Width of the universal concept subspace (same geometry in every language up to a small rotation). @defaultValue 4 */
  conceptDimension?: number;
  /** Width of the language-specific concept subspace (a fresh random rotation per language). @defaultValue 4 */
  specificDimension?: number;
  /** Scale of the language-specific part relative to the universal part. @defaultValue 2 */
  specificScale?: number;
  /** Sentences per split. @defaultValue { train: 60, dev: 20, test: 40 } */
  sentences?: { train?: number; dev?: number; test?: number };
  /** Words per sentence. @defaultValue 12 */
  sentenceLength?: number;
  /** Standard deviation of the per-word noise (relative to unit concept spread). @defaultValue 0.25 */
  noise?: number;
  /** Angle scale (radians) of each language's small random rotation of the universal part. @defaultValue 0.1 */
  rotation?: number;
  /** Per-language overrides of `rotation`. */
  rotations?: Record<string, number>;
  /** Norm of each language's random offset, inside a shared language subspace orthogonal to the concepts. @defaultValue 4 */
  offset?: number;
  /** Width of the language subspace holding the offsets. @defaultValue 3 */
  languageDimension?: number;
  /** Scales are drawn uniformly from [1 / maxScale, maxScale]. @defaultValue 1.3 */
  maxScale?: number;
  /**
   * Word types per label: each word is drawn from its label's vocabulary (a Zipf-like law) and
   * carries the type's id in `wordIds` (the vectors do not depend on the type), so word-lookup
   * baselines and control tasks have something to work on. @defaultValue 20
   */
  vocabularySize?: number;
  /** Shuffle labels across instances (destroys every vector–label relation: a chance control). @defaultValue false */
  shuffleLabels?: boolean;
  /** Seed. @defaultValue 0 */
  seed?: number;
}

/** One synthetic language: its splits and its generating parameters. */
export interface SyntheticLanguage {
  language: string;
  train: InstanceSet;
  dev: InstanceSet;
  test: InstanceSet;
  scale: number;
}

const constraints: OptionConstraints = {
  languages: { type: 'string', optional: true },
  numLabels: { type: 'integer', min: 2 },
  dimension: { type: 'integer', min: 1 },
  conceptDimension: { type: 'integer', min: 1 },
  specificDimension: { type: 'integer', min: 0 },
  specificScale: { type: 'number', min: 0 },
  sentences: { type: 'string', optional: true },
  sentenceLength: { type: 'integer', min: 1 },
  noise: { type: 'number', min: 0 },
  rotation: { type: 'number', min: 0 },
  rotations: { type: 'string', optional: true },
  offset: { type: 'number', min: 0 },
  languageDimension: { type: 'integer', min: 1 },
  maxScale: { type: 'number', min: 1 },
  vocabularySize: { type: 'integer', min: 1 },
  shuffleLabels: { type: 'boolean' },
  seed: { type: 'integer' },
};

/** Random orthonormal basis (Gram–Schmidt on Gaussian columns): `n × n`, row-major. */
function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const v = new Float64Array(n);
    for (;;) {
      for (let i = 0; i < n; i++) v[i] = rng.normal();
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i] * q[i * n + p];
        for (let i = 0; i < n; i++) v[i] -= dot * q[i * n + p];
      }
      const norm = Math.hypot(...v);
      if (norm > 1e-6) {
        for (let i = 0; i < n; i++) q[i * n + c] = v[i] / norm;
        break;
      }
    }
  }
  return q;
}

/** Rotation exp(angle * S) for a random skew-symmetric S, by a truncated Taylor series then re-orthonormalised. */
function randomRotation(n: number, angle: number, rng: Rng): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = (rng.normal() * angle) / Math.sqrt(n);
      s[i * n + j] = a;
      s[j * n + i] = -a;
    }
  }
  const out = new Float64Array(n * n);
  let term = new Float64Array(n * n);
  for (let i = 0; i < n; i++) term[i * n + i] = 1;
  for (let order = 1; order <= 20; order++) {
    for (let i = 0; i < n * n; i++) out[i] += term[i];
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let p = 0; p < n; p++) {
        const t = term[i * n + p];
        if (t === 0) continue;
        for (let j = 0; j < n; j++) next[i * n + j] += (t * s[p * n + j]) / order;
      }
    term = next;
  }
  return out;
}

/**
 * Synthetic languages with a known answer, for proofs and examples. Each concept (label) has a
 * centre with a universal part (r dims, the same in every language up to a small random
 * rotation) and a stronger language-specific part (a template under a fresh random rotation per
 * language, so it only helps within a language); each language also has a random offset in a
 * language-identity subspace and a random overall scale; words add Gaussian noise. A probe
 * fitted on one language leans on its specific part and fails on another language; a map
 * meta-learned over many languages can find the universal part. Label frequencies
 * decrease (a Zipf-like 1/(c+1) law) so majority and chance differ. Splits carry `fitSplit`.
 *
 * @example
 * const [en, de] = createSyntheticLanguages({ languages: ['en', 'de'] });
 */
export function createSyntheticLanguages(options: SyntheticLanguagesOptions = {}): SyntheticLanguage[] {
  checkOptions(
    { ...options, languages: undefined, sentences: undefined, rotations: undefined },
    constraints,
    'createSyntheticLanguages',
  );
  const {
    languages = ['l0', 'l1', 'l2', 'l3'],
    numLabels = 6,
    dimension = 16,
    conceptDimension = 4,
    specificDimension = 4,
    specificScale = 2,
    sentenceLength = 12,
    noise = 0.25,
    rotation = 0.1,
    rotations = {},
    offset = 4,
    languageDimension = 3,
    maxScale = 1.3,
    vocabularySize = 20,
    shuffleLabels = false,
    seed = 0,
  } = options;
  const sentences = { train: 60, dev: 20, test: 40, ...options.sentences };
  const d = dimension;
  const r = Math.min(conceptDimension, d);
  const sd = Math.min(specificDimension, d - r);
  const rng = createRng(seed);
  const world = rng.fork('world');
  const basis = randomOrthogonal(d, world);
  // Concept centres in local coordinates: universal part [0, r), specific template [r, r + sd).
  const universal = new Float64Array(numLabels * r);
  for (let i = 0; i < universal.length; i++) universal[i] = world.normal() * 1.5;
  const specific = new Float64Array(numLabels * sd);
  for (let i = 0; i < specific.length; i++) specific[i] = world.normal() * 1.5 * specificScale;
  const weights = Array.from({ length: numLabels }, (_, c) => 1 / (c + 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const typeWeights = Array.from({ length: vocabularySize }, (_, t) => 1 / (t + 1));
  const totalTypeWeight = typeWeights.reduce((a, b) => a + b, 0);
  return languages.map((language, languageIndex) => {
    const lr = rng.fork(`language-${language}`);
    const angle = rotations[language] ?? rotation;
    const q = randomRotation(r, angle, lr);
    const qs = randomOrthogonal(sd, lr);
    const scale = Math.exp((lr.next() * 2 - 1) * Math.log(maxScale));
    const e = Math.min(languageDimension, d - r - sd);
    const shift = new Float64Array(d);
    if (e > 0) {
      const direction = new Float64Array(e);
      for (let a = 0; a < e; a++) direction[a] = lr.normal();
      const norm = Math.hypot(...direction) || 1;
      for (let a = 0; a < e; a++) shift[r + sd + a] = (direction[a] / norm) * offset;
    }
    const makeSplit = (split: 'train' | 'dev' | 'test'): InstanceSet => {
      const sr = lr.fork(split);
      const n = sentences[split] ?? 0;
      const rows = n * sentenceLength;
      const x = new Float64Array(rows * d);
      let labels = new Int32Array(rows);
      const wordIds = new Int32Array(rows);
      // A separate stream, so adding word types left the vectors of every seed unchanged.
      const typeRng = sr.fork('types');
      const offsets = new Int32Array(n + 1);
      const local = new Float64Array(d);
      for (let row = 0; row < rows; row++) {
        let u = sr.next() * totalWeight;
        let y = 0;
        while (y < numLabels - 1 && u >= weights[y]) u -= weights[y++];
        labels[row] = y;
        let v = typeRng.next() * totalTypeWeight;
        let type = 0;
        while (type < vocabularySize - 1 && v >= typeWeights[type]) v -= typeWeights[type++];
        // Each language has its own vocabulary: ids differ across languages and labels.
        wordIds[row] = languageIndex * numLabels * vocabularySize + y * vocabularySize + type;
        // Local coordinates: rotated universal part, rotated specific part, offset, noise.
        for (let a = 0; a < d; a++) local[a] = shift[a] + sr.normal() * noise;
        for (let a = 0; a < r; a++) {
          let v = 0;
          for (let b = 0; b < r; b++) v += q[a * r + b] * universal[y * r + b];
          local[a] += v;
        }
        for (let a = 0; a < sd; a++) {
          let v = 0;
          for (let b = 0; b < sd; b++) v += qs[a * sd + b] * specific[y * sd + b];
          local[r + a] += v;
        }
        const rotated = local;
        for (let i = 0; i < d; i++) {
          let v = 0;
          for (let a = 0; a < d; a++) v += basis[i * d + a] * rotated[a];
          x[row * d + i] = scale * v;
        }
      }
      for (let s = 0; s <= n; s++) offsets[s] = s * sentenceLength;
      if (shuffleLabels) labels = Int32Array.from(sr.fork('shuffle').shuffle(Array.from(labels)));
      return {
        x: { rows, cols: d, data: x },
        labels,
        wordIds,
        sentenceOffsets: offsets,
        numLabels,
        fitSplit: split,
        language,
      };
    };
    return { language, train: makeSplit('train'), dev: makeSplit('dev'), test: makeSplit('test'), scale };
  });
}
