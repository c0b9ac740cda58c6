import { InvalidArgumentError, checkOptions, createRng } from '@xling/core';
import type { TaggedSentence } from '../tagged-sentence.js';

/** Options of {@link sampleDemonstrations}. */
export interface SampleDemonstrationsOptions {
  /**
   * Demonstrations per set.
   * @defaultValue `10`
   */
  k?: number;
  /**
   * Sets to draw (one per run).
   * @defaultValue `5`
   */
  runs?: number;
  /**
   * Seed; run `r` draws from `createRng(seed).fork(r)`, so adding runs keeps the earlier sets.
   * @defaultValue `0`
   */
  seed?: number;
}

const CONSTRAINTS = {
  k: { type: 'integer', min: 0, optional: true },
  runs: { type: 'integer', min: 1, optional: true },
  seed: { type: 'integer', optional: true },
} as const;

/**
 * Draws `runs` demonstration sets of `k` sentences of `pool` (Blevins et al. 2023): sentences
 * with a single distinct tag are never drawn; each set covers the label set greedily where
 * possible (the sentence showing the most tags the set lacks, ties broken by a seeded random
 * order: greedy set cover), then fills the remaining places in that random order. Covering
 * sentences come first, so a prompt that drops demonstrations from the end keeps them. Fewer
 * than `k` eligible sentences give smaller sets.
 *
 * @returns Indices into `pool`, one array per run, in prompt order.
 * @throws XLING_INVALID_ARGUMENT for bad options or a pool that is not an array.
 * @example
 * sampleDemonstrations(train, { k: 10, runs: 5, seed: 1 }); // [[412, 7, …], …]
 */
export function sampleDemonstrations(
  pool: readonly TaggedSentence[],
  options: SampleDemonstrationsOptions = {},
): number[][] {
  checkOptions(options, CONSTRAINTS, 'sampleDemonstrations');
  const { k = 10, runs = 5, seed = 0 } = options;
  if (!Array.isArray(pool as unknown)) {
    throw new InvalidArgumentError(
      'pool',
      'sampleDemonstrations',
      `must be an array, but got ${typeof pool}.`,
    );
  }
  const eligible = pool.flatMap((sentence, i) => (new Set(sentence.tags).size > 1 ? [i] : []));
  const rng = createRng(seed);
  return Array.from({ length: runs }, (_, run) => {
    const order = rng.fork(run).shuffle(eligible);
    const chosen: number[] = [];
    const shown = new Set<string>();
    while (chosen.length < k) {
      const best = mostNewTags(pool, order, shown);
      if (best < 0) break;
      chosen.push(best);
      for (const tag of pool[best].tags) shown.add(tag);
    }
    const taken = new Set(chosen);
    for (const i of order) {
      if (chosen.length >= k) break;
      if (!taken.has(i)) chosen.push(i);
    }
    return chosen;
  });
}

/** The sentence of `order` showing the most tags not in `shown` (the first on a tie); -1 if none adds one. */
function mostNewTags(
  pool: readonly TaggedSentence[],
  order: readonly number[],
  shown: ReadonlySet<string>,
): number {
  let best = -1;
  let bestCount = 0;
  for (const i of order) {
    const count = new Set(pool[i].tags.filter((tag) => !shown.has(tag))).size;
    if (count > bestCount) [best, bestCount] = [i, count];
  }
  return best;
}
