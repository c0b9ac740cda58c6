import { describe, expect, it } from 'vitest';
import { type EpisodeSource, sampleEpisodes } from './sample-episodes.js';

/** A language of `n` sentences of 3 tokens; label 5 only in sentence `rare`. */
function language(n: number, rare = 0): EpisodeSource {
  const labels: number[] = [];
  const offsets = [0];
  for (let s = 0; s < n; s++) {
    labels.push(s % 3, (s + 1) % 3, s === rare ? 5 : 4);
    offsets.push(labels.length);
  }
  return { labels: Int32Array.from(labels), sentenceOffsets: Int32Array.from(offsets) };
}

const sources = { de: language(50, 7), fr: language(40, 3), ru: language(60, 11) };

describe('sampleEpisodes', () => {
  it('sampleEpisodes(sources, options) never puts a sentence in both support and query', () => {
    const episodes = sampleEpisodes(sources, {
      supportSize: 5,
      querySize: 30,
      episodesPerLanguage: 40,
      seed: 1,
    });
    for (const e of episodes) {
      const support = new Set(e.support);
      expect(support.size).toBe(e.support.length);
      expect(e.query.some((s) => support.has(s))).toBe(false);
      expect(new Set(e.query).size).toBe(e.query.length);
    }
  });

  it('sampleEpisodes(sources) balances languages and shuffles them together', () => {
    const episodes = sampleEpisodes(sources, { episodesPerLanguage: 10, seed: 2 });
    const count: Record<string, number> = {};
    for (const e of episodes) count[e.language] = (count[e.language] ?? 0) + 1;
    expect(count).toEqual({ de: 10, fr: 10, ru: 10 });
    const languages = episodes.map((e) => e.language).join(',');
    expect(languages).not.toBe(
      [...Array(10).fill('de'), ...Array(10).fill('fr'), ...Array(10).fill('ru')].join(','),
    );
  });

  it('sampleEpisodes(sources, { smoothing: true }) adds one sentence per label missing from the support', () => {
    const episodes = sampleEpisodes({ de: sources.de }, { supportSize: 1, episodesPerLanguage: 20, seed: 3 });
    for (const e of episodes) {
      const labels = new Set<number>();
      for (const s of e.support) for (let i = s * 3; i < s * 3 + 3; i++) labels.add(sources.de.labels[i]);
      // Labels 0..2, 4 and the rare 5 all occur in the support after smoothing.
      expect([...labels].sort()).toEqual([0, 1, 2, 4, 5]);
      expect(e.support.length).toBe(1 + e.smoothed);
      if (e.support[0] !== 7) expect(e.support).toContain(7);
      expect(e.query).not.toContain(7);
    }
  });

  it('sampleEpisodes(sources, { smoothing: false }) keeps exactly N support sentences', () => {
    const episodes = sampleEpisodes(sources, { supportSize: 3, smoothing: false, episodesPerLanguage: 5 });
    for (const e of episodes) {
      expect(e.support).toHaveLength(3);
      expect(e.smoothed).toBe(0);
      expect(e.query).toHaveLength(30);
    }
  });

  it('sampleEpisodes(sources) walks a permutation for the supports, reshuffling when exhausted', () => {
    const episodes = sampleEpisodes(
      { fr: sources.fr },
      { supportSize: 4, smoothing: false, episodesPerLanguage: 10, shuffle: false },
    );
    const first = episodes.flatMap((e) => e.support);
    expect(new Set(first).size).toBe(40);
    const more = sampleEpisodes(
      { fr: sources.fr },
      { supportSize: 4, smoothing: false, episodesPerLanguage: 12, shuffle: false },
    );
    expect(more[11].support).toHaveLength(4);
  });

  it('sampleEpisodes(sources, { seed }) is deterministic and a language’s episodes do not depend on the others', () => {
    const a = sampleEpisodes(sources, { seed: 9, episodesPerLanguage: 5 });
    const b = sampleEpisodes(sources, { seed: 9, episodesPerLanguage: 5 });
    expect(a).toEqual(b);
    const alone = sampleEpisodes({ de: sources.de }, { seed: 9, episodesPerLanguage: 5, shuffle: false });
    const together = sampleEpisodes(sources, { seed: 9, episodesPerLanguage: 5, shuffle: false }).filter(
      (e) => e.language === 'de',
    );
    expect(together).toEqual(alone);
    const other = sampleEpisodes(sources, { seed: 10, episodesPerLanguage: 5 });
    expect(other).not.toEqual(a);
  });

  it('sampleEpisodes(sources) uses the remaining sentences when fewer than Q are left', () => {
    const episodes = sampleEpisodes(
      { xx: language(6) },
      { supportSize: 2, querySize: 30, smoothing: false, episodesPerLanguage: 2 },
    );
    for (const e of episodes) expect(e.query).toHaveLength(4);
  });

  it('sampleEpisodes(sources) throws XLING_INVALID_ARGUMENT for a language with too few sentences', () => {
    expect(() => sampleEpisodes({ xx: language(2) }, { supportSize: 2 })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least supportSize \+ 1 = 3 sentences, but has 2/),
      }),
    );
  });

  it('sampleEpisodes(sources, { querySize: 0 }) throws XLING_INVALID_ARGUMENT naming the option', () => {
    expect(() => sampleEpisodes(sources, { querySize: 0 })).toThrow(/options\.querySize/);
  });

  it('sampleEpisodes({}) returns no episodes', () => {
    expect(sampleEpisodes({})).toEqual([]);
  });
});
