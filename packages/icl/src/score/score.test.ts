import { describe, expect, it } from 'vitest';
import { fitDemonstrations } from '../decode/fit-demonstrations.js';
import { majorityBaselines } from './majority-baselines.js';
import { summarizeAccuracy } from './summarize-accuracy.js';

describe('summarizeAccuracy(perRun)', () => {
  it('gives the mean and the standard error (sample sd / sqrt(runs))', () => {
    const summary = summarizeAccuracy([0.5, 0.7, 0.9]);
    expect(summary.mean).toBeCloseTo(0.7, 12);
    expect(summary.standardError).toBeCloseTo(0.2 / Math.sqrt(3), 12);
    expect(summarizeAccuracy([0.4])).toEqual({ mean: 0.4, standardError: null, perRun: [0.4] });
  });

  it('throws XLING_INVALID_ARGUMENT for no runs', () => {
    expect(() => summarizeAccuracy([])).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', message: expect.stringMatching(/'perRun'/) }),
    );
  });
});

describe('majorityBaselines(fit, test)', () => {
  it('scores the majority tag and each word form’s majority tag (the global one for unseen forms)', () => {
    const fit = [
      { words: ['the', 'dog', 'runs'], tags: ['DET', 'NOUN', 'VERB'] },
      { words: ['runs', 'dog', 'cat'], tags: ['NOUN', 'NOUN', 'NOUN'] },
      { words: ['runs'], tags: ['VERB'] },
    ];
    const test = [{ words: ['the', 'runs', 'bird', 'Dog'], tags: ['DET', 'VERB', 'NOUN', 'NOUN'] }];
    expect(majorityBaselines(fit, test)).toEqual({
      majorityTag: 'NOUN',
      majorityTagAccuracy: 0.5,
      // the → DET, runs → VERB (2 of 3), bird → NOUN (unseen), Dog → NOUN (unseen: case matters)
      perWordMajorityAccuracy: 1,
    });
  });

  it('throws XLING_INVALID_ARGUMENT when fit or test has no words', () => {
    const one = [{ words: ['a'], tags: ['X'] }];
    expect(() => majorityBaselines([], one)).toThrow(/'fit'.*at least one word/);
    expect(() => majorityBaselines(one, [])).toThrow(/'test'.*at least one word/);
  });
});

describe('fitDemonstrations(prefixLengths, needed, maxPositions)', () => {
  it('keeps the most demonstrations that fit, dropping from the end, and -1 when none fits', () => {
    expect(fitDemonstrations([1, 20, 41], 20, 64)).toBe(2);
    expect(fitDemonstrations([1, 20, 41], 30, 64)).toBe(1);
    expect(fitDemonstrations([1, 20, 41], 63, 64)).toBe(0);
    expect(fitDemonstrations([1, 20, 41], 64, 64)).toBe(-1);
  });
});
