import { describeEstimator } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import type { InstanceSet } from '../instances/instance-set.js';
import { WordLookupTagger } from './word-lookup-tagger.js';
import { wordFormId } from './word-form-id.js';

function set(forms: string[], labels: number[], numLabels = 4): InstanceSet {
  return {
    x: { rows: forms.length, cols: 1, data: new Float64Array(forms.length) },
    labels: Int32Array.from(labels),
    wordIds: Int32Array.from(forms, wordFormId),
    numLabels,
  };
}

// 'the' is always 0; 'run' 1, 1, 2 (majority 1); 'bank' 3, 2 (tie: lower id 2); 'dog' 1.
const train = set(
  ['the', 'run', 'the', 'run', 'bank', 'run', 'bank', 'the', 'dog'],
  [0, 1, 0, 1, 3, 2, 2, 0, 1],
);
// Label counts: 0 × 3, 1 × 3, 2 × 2, 3 × 1: the fallback is 0 (tie between 0 and 1, lower id).

describeEstimator('WordLookupTagger', {
  create: () => new WordLookupTagger(),
  fitArgs: () => [train],
  fittedGetters: ['fallbackLabel', 'vocabularySize'],
  apply: (m) => m.predict(Int32Array.from(['the', 'run', 'cat'], wordFormId)),
  fromJSON: (json) => WordLookupTagger.fromJSON(json),
});

describe('WordLookupTagger', () => {
  it('WordLookupTagger.fit(train) predicts the most frequent label of each form, the lower id on ties', () => {
    const m = new WordLookupTagger().fit(train);
    expect(m.vocabularySize).toBe(4);
    expect(Array.from(m.predict(Int32Array.from(['the', 'run', 'bank', 'dog'], wordFormId)))).toEqual([
      0, 1, 2, 1,
    ]);
  });

  it('WordLookupTagger.fit(train) predicts the majority training label for unseen forms', () => {
    const m = new WordLookupTagger().fit(train);
    expect(m.fallbackLabel).toBe(0);
    const other = new WordLookupTagger().fit(set(['a', 'b', 'c'], [2, 2, 1]));
    expect(Array.from(other.predict(Int32Array.from(['zebra', 'c'], wordFormId)))).toEqual([2, 1]);
  });

  it('WordLookupTagger.score(set) is the accuracy and coverage(set) the fraction of seen forms', () => {
    const m = new WordLookupTagger().fit(train);
    // the→0 ✓, run→1 ✗ (2), bank→2 ✓, cat→0 (fallback) ✓.
    const test = set(['the', 'run', 'bank', 'cat'], [0, 2, 2, 0]);
    expect(m.score(test)).toBe(0.75);
    expect(m.coverage(test)).toBe(0.75);
    const empty = set([], []);
    expect(m.score(empty)).toBeNaN();
    expect(m.coverage({ ...empty, wordIds: undefined })).toBeNaN();
  });

  it('WordLookupTagger.predict(wordIds) treats composed and decomposed forms as one word', () => {
    const m = new WordLookupTagger().fit(set(['caf\u00e9', 'x'], [3, 1]));
    expect(Array.from(m.predict(Int32Array.of(wordFormId('cafe\u0301'))))).toEqual([3]);
  });

  it('WordLookupTagger.fit(train) throws XLING_INVALID_ARGUMENT naming train.wordIds when they are missing', () => {
    expect(() => new WordLookupTagger().fit({ ...train, wordIds: undefined })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(
          /Argument 'train\.wordIds' passed to 'WordLookupTagger\.fit' is required/,
        ),
      }),
    );
    expect(() => new WordLookupTagger().fit(set([], []))).toThrow(/at least one instance/);
  });

  it('WordLookupTagger.score(set) throws XLING_SHAPE_MISMATCH when wordIds do not match the rows', () => {
    const m = new WordLookupTagger().fit(train);
    expect(() => m.score({ ...train, wordIds: Int32Array.of(1) })).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(
          /'set\.wordIds' passed to 'WordLookupTagger\.score' must have 9 entries/,
        ),
      }),
    );
    expect(() => m.coverage({ ...train, wordIds: undefined })).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => m.predict([1, 2] as unknown as Int32Array)).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/Int32Array/),
      }),
    );
  });

  it('WordLookupTagger.score(set) throws XLING_NOT_FITTED before fit', () => {
    expect(() => new WordLookupTagger().score(train)).toThrow(
      expect.objectContaining({ code: 'XLING_NOT_FITTED' }),
    );
  });

  it('WordLookupTagger.toJSON() lists forms in ascending id order', () => {
    const json = new WordLookupTagger().fit(train).toJSON();
    expect(json.wordIds).toEqual([...json.wordIds].sort((a, b) => a - b));
    expect(json.labels.length).toBe(4);
    expect(() => WordLookupTagger.fromJSON({ ...json, labels: [] })).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});
