import { UPOS_LABELS } from '@xling/core';
import { describe, expect, it } from 'vitest';
import type { TaggedSentence } from '../tagged-sentence.js';
import { sampleDemonstrations } from './sample-demonstrations.js';

/** Sentence i tags its two words with labels i and i+1 (mod 17), except every 5th: one tag only. */
const pool: TaggedSentence[] = Array.from({ length: 40 }, (_, i) => ({
  words: ['a', 'b'],
  tags: i % 5 === 0 ? ['NOUN', 'NOUN'] : [UPOS_LABELS[i % 17], UPOS_LABELS[(i + 1) % 17]],
}));

describe('sampleDemonstrations(pool, options)', () => {
  it('repeats exactly for a seed and differs between runs and seeds', () => {
    const sets = sampleDemonstrations(pool, { k: 6, runs: 3, seed: 7 });
    expect(sets).toEqual(sampleDemonstrations(pool, { k: 6, runs: 3, seed: 7 }));
    expect(sets).toHaveLength(3);
    expect(sets.every((set) => set.length === 6 && new Set(set).size === 6)).toBe(true);
    expect(new Set(sets.map((set) => set.join())).size).toBe(3);
    expect(sampleDemonstrations(pool, { k: 6, runs: 3, seed: 8 })).not.toEqual(sets);
    // Run r depends on the seed and r only.
    expect(sampleDemonstrations(pool, { k: 6, runs: 1, seed: 7 })).toEqual(sets.slice(0, 1));
  });

  it('never draws a sentence with a single distinct tag', () => {
    const drawn = sampleDemonstrations(pool, { k: 40, runs: 2 }).flat();
    expect(drawn.filter((i) => i % 5 === 0)).toEqual([]);
    expect(new Set(drawn).size).toBe(32);
  });

  it('covers the label set when k allows, with the covering sentences first', () => {
    for (const seed of [0, 1, 2]) {
      const [set] = sampleDemonstrations(pool, { k: 12, runs: 1, seed });
      const tags = new Set(set.flatMap((i) => pool[i].tags));
      expect(tags.size).toBe(17);
      // Each of the first sentences adds a tag that the ones before it do not show.
      const seen = new Set<string>();
      const adding = set.map((i) => {
        const adds = pool[i].tags.some((tag) => !seen.has(tag));
        for (const tag of pool[i].tags) seen.add(tag);
        return adds;
      });
      expect(adding.indexOf(false) === -1 || !adding.slice(adding.indexOf(false)).includes(true)).toBe(true);
    }
  });

  it('gives smaller sets when the pool is small, and empty sets for k = 0', () => {
    expect(sampleDemonstrations(pool.slice(0, 3), { k: 10, runs: 1 })[0].sort()).toEqual([1, 2]);
    expect(sampleDemonstrations(pool, { k: 0, runs: 2 })).toEqual([[], []]);
  });

  it('throws XLING_INVALID_ARGUMENT for bad options and a pool that is not an array', () => {
    expect(() => sampleDemonstrations(pool, { k: -1 })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'options\.k'/),
      }),
    );
    expect(() => sampleDemonstrations(pool, { runs: 0 })).toThrow(/'options\.runs'.*>= 1/);
    expect(() => sampleDemonstrations(pool, { seed: 1.5 })).toThrow(/'options\.seed'/);
    expect(() => sampleDemonstrations('x' as never)).toThrow(/'pool'.*array/);
  });
});
