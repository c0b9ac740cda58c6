import { InvalidArgumentError, type OptionConstraints, type Rng, checkOptions, createRng } from '@xling/core';

/** What {@link sampleEpisodes} needs of one language: token labels grouped by sentence (an `InstanceSet` fits). */
export interface EpisodeSource {
  /** Label id of each token. */
  readonly labels: ArrayLike<number>;
  /** Sentence boundaries into `labels`, length `sentences + 1`. */
  readonly sentenceOffsets: ArrayLike<number>;
}

/** One episode: sentence indices of a language's support and query sets (disjoint). */
export interface Episode {
  /** Language of the episode. */
  language: string;
  /** Index of the episode among its language's episodes. */
  index: number;
  /** Support sentences: the N drawn ones, then those added by smoothing. */
  support: number[];
  /** How many of `support` were added by smoothing (they are its last entries). */
  smoothed: number;
  /** Query sentences, disjoint from `support`. */
  query: number[];
}

/** Options of {@link sampleEpisodes}. */
export interface SampleEpisodesOptions {
  /** N, support sentences per episode (before smoothing). @defaultValue 1 (the reference's zero-shot setting) */
  supportSize?: number;
  /** Q, query sentences per episode (fewer when the language has fewer left). @defaultValue 30 */
  querySize?: number;
  /** Episodes per language (balanced across languages). @defaultValue 50 */
  episodesPerLanguage?: number;
  /** Add one sentence for each label missing from the support. @defaultValue true */
  smoothing?: boolean;
  /**
   * Labels that smoothing must cover, per language (e.g. V(src, l)).
   * @defaultValue every label occurring in the language
   */
  smoothingLabels?: Record<string, ArrayLike<number>>;
  /** Seed. @defaultValue 0 */
  seed?: number;
  /**
   * Fork label mixed into the seed (e.g. `epoch-3`), so each epoch draws fresh episodes that
   * depend only on the seed and this label.
   * @defaultValue 'episodes'
   */
  round?: string;
  /** Shuffle all languages' episodes together (else grouped by language). @defaultValue true */
  shuffle?: boolean;
}

const constraints: OptionConstraints = {
  supportSize: { type: 'integer', min: 0 },
  querySize: { type: 'integer', min: 1 },
  episodesPerLanguage: { type: 'integer', min: 0 },
  smoothing: { type: 'boolean' },
  smoothingLabels: { type: 'string', optional: true },
  seed: { type: 'integer' },
  round: { type: 'string' },
  shuffle: { type: 'boolean' },
};

/**
 * Samples few-shot episodes for any token-classification task (METHOD.md section 5): for each
 * language, `episodesPerLanguage` episodes of N support and up to Q query sentences; the support
 * blocks walk through a seeded permutation of the sentences (reshuffled when exhausted), as in
 * the reference. Smoothing adds, for each label missing from the support, one sentence drawn
 * from those containing it. Queries are drawn from the sentences NOT in the support — the
 * reference's `i not in sids` compares the whole index list and so never excludes anything
 * (support and query could overlap); this is the fix. Each language draws from
 * `rng.fork(language)`, so adding a language does not change the others' episodes.
 *
 * @param sources - per-language token labels grouped by sentence
 * @returns episodes of all languages, shuffled together
 * @throws XLING_INVALID_ARGUMENT when a language has fewer than N + 1 sentences, or for bad options
 * @example
 * const episodes = sampleEpisodes({ de, fr }, { supportSize: 1, querySize: 30, episodesPerLanguage: 50, seed: 1 });
 */
export function sampleEpisodes(
  sources: Record<string, EpisodeSource>,
  options: SampleEpisodesOptions = {},
): Episode[] {
  const fn = 'sampleEpisodes';
  checkOptions({ ...options, smoothingLabels: undefined }, constraints, fn);
  const {
    supportSize = 1,
    querySize = 30,
    episodesPerLanguage = 50,
    smoothing = true,
    smoothingLabels,
    seed = 0,
    round = 'episodes',
    shuffle = true,
  } = options;
  const rng = createRng(seed).fork(round);
  const all: Episode[] = [];
  for (const language of Object.keys(sources).sort()) {
    const source = sources[language];
    const offsets = source.sentenceOffsets;
    const numSentences = offsets.length - 1;
    if (numSentences < supportSize + 1) {
      throw new InvalidArgumentError(
        `sources.${language}`,
        fn,
        `must have at least supportSize + 1 = ${supportSize + 1} sentences, but has ${numSentences}.`,
      );
    }
    // Which sentences contain each label (for smoothing).
    const byLabel = new Map<number, number[]>();
    for (let s = 0; s < numSentences; s++) {
      for (let i = offsets[s]; i < offsets[s + 1]; i++) {
        const y = source.labels[i];
        let list = byLabel.get(y);
        if (list === undefined) {
          list = [];
          byLabel.set(y, list);
        }
        if (list[list.length - 1] !== s) list.push(s);
      }
    }
    const required =
      smoothingLabels?.[language] !== undefined
        ? Array.from(smoothingLabels[language])
        : [...byLabel.keys()].sort((a, b) => a - b);
    const lr = rng.fork(language);
    all.push(
      ...sampleLanguage(language, source, numSentences, byLabel, required, lr, {
        supportSize,
        querySize,
        episodesPerLanguage,
        smoothing,
      }),
    );
  }
  return shuffle ? rng.fork('mix').shuffle(all) : all;
}

function sampleLanguage(
  language: string,
  source: EpisodeSource,
  numSentences: number,
  byLabel: Map<number, number[]>,
  required: number[],
  rng: Rng,
  o: { supportSize: number; querySize: number; episodesPerLanguage: number; smoothing: boolean },
): Episode[] {
  const offsets = source.sentenceOffsets;
  let order = rng.shuffle(Array.from({ length: numSentences }, (_, i) => i));
  const out: Episode[] = [];
  for (let e = 0; e < o.episodesPerLanguage; e++) {
    const er = rng.fork(e);
    let support: number[];
    if ((e + 1) * o.supportSize > numSentences) {
      // Walked past the permutation: reshuffle and take its head, as the reference does.
      order = er.shuffle(order);
      support = order.slice(0, o.supportSize);
    } else {
      support = order.slice(e * o.supportSize, (e + 1) * o.supportSize);
    }
    const inSupport = new Set(support);
    let smoothed = 0;
    if (o.smoothing) {
      const seen = new Set<number>();
      for (const s of support) for (let i = offsets[s]; i < offsets[s + 1]; i++) seen.add(source.labels[i]);
      for (const y of required) {
        if (seen.has(y)) continue;
        const candidates = (byLabel.get(y) ?? []).filter((s) => !inSupport.has(s));
        if (candidates.length === 0) continue;
        const s = candidates[er.int(candidates.length)];
        support.push(s);
        inSupport.add(s);
        smoothed++;
      }
    }
    const rest: number[] = [];
    for (let s = 0; s < numSentences; s++) if (!inSupport.has(s)) rest.push(s);
    const q = Math.min(o.querySize, rest.length);
    const picked = er.fork('query').shuffle(rest).slice(0, q);
    out.push({ language, index: e, support, smoothed, query: picked });
  }
  return out;
}
