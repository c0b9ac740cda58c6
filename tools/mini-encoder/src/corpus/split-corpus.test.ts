import { describe, expect, it } from 'vitest';
import { balancedWordCounts, languageProbabilities, splitCorpus } from './split-corpus.js';

describe('languageProbabilities', () => {
  it('languageProbabilities(sizes, alpha) is proportional to n^alpha', () => {
    const p = languageProbabilities([100, 400], 0.5);
    expect(p[0]).toBeCloseTo(10 / 30, 12);
    expect(p[1]).toBeCloseTo(20 / 30, 12);
    expect(languageProbabilities([1, 1000], 0)).toEqual([0.5, 0.5]);
  });
});

describe('splitCorpus', () => {
  const files = [
    {
      treebank: 'T1',
      language: 'xx',
      split: 'dev',
      file: 'f',
      sentences: Array.from({ length: 200 }, (_, i) => [`w${i}`]),
    },
    {
      treebank: 'T2',
      language: 'yy',
      split: 'train',
      file: 'g',
      sentences: Array.from({ length: 20 }, (_, i) => [`v${i}`]),
    },
  ];

  it('splitCorpus(files, { seed }) holds out a seeded 5% per language, none for small languages', () => {
    const a = splitCorpus(files, { seed: 3 });
    expect(a.map((c) => [c.language, c.train.length, c.heldOut.length])).toEqual([
      ['xx', 190, 10],
      ['yy', 20, 0],
    ]);
    expect(splitCorpus(files, { seed: 3 })[0].heldOut).toEqual(a[0].heldOut);
    expect(splitCorpus(files, { seed: 4 })[0].heldOut).not.toEqual(a[0].heldOut);
    const held = new Set(a[0].heldOut.map((s) => s[0]));
    expect(a[0].train.some((s) => held.has(s[0]))).toBe(false);
  });

  it('balancedWordCounts(corpora, alpha, total) gives each language its sampling share', () => {
    const corpora = splitCorpus(files, { seed: 1 });
    const counts = balancedWordCounts(corpora, 0, 19000);
    let xx = 0;
    let yy = 0;
    for (const [w, c] of counts) {
      if (w.startsWith('w')) xx += c;
      else yy += c;
    }
    expect(xx).toBe(9500);
    expect(yy).toBe(9500);
  });
});
