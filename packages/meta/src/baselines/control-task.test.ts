import { describe, expect, it } from 'vitest';
import type { InstanceSet } from '../instances/instance-set.js';
import { createControlTask } from './control-task.js';
import { wordFormId } from './word-form-id.js';

function set(wordIds: number[], labels: number[], numLabels = 3): InstanceSet {
  return {
    x: { rows: wordIds.length, cols: 2, data: Float64Array.from(wordIds.flatMap((w) => [w, 1])) },
    labels: Int32Array.from(labels),
    wordIds: Int32Array.from(wordIds),
    sentenceOffsets: Int32Array.of(0, wordIds.length),
    numLabels,
    fitSplit: 'train',
    language: 'en',
  };
}

// 20 000 types, one token each, labels 0 : 1 : 2 = 50% : 30% : 20%.
const types = 20_000;
const train = set(
  Array.from({ length: types }, (_, i) => i),
  Array.from({ length: types }, (_, i) => (i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2)),
);

describe('createControlTask', () => {
  it('createControlTask(train) draws control labels with the empirical label distribution', () => {
    const control = createControlTask(train, { seed: 7 });
    expect(Array.from(control.distribution)).toEqual([0.5, 0.3, 0.2]);
    const counts = [0, 0, 0];
    for (let w = 0; w < types; w++) counts[control.labelOf(w)]++;
    // Binomial standard deviation at p = 0.5 is 0.0035: 0.015 is over 4 of them.
    expect(Math.abs(counts[0] / types - 0.5)).toBeLessThan(0.015);
    expect(Math.abs(counts[1] / types - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(counts[2] / types - 0.2)).toBeLessThan(0.015);
  });

  it('createControlTask(train) also spreads hashed word-form ids over the distribution', () => {
    const control = createControlTask(set([0, 1, 2, 3], [0, 0, 0, 1], 2));
    let ones = 0;
    for (let i = 0; i < 8000; i++) ones += control.labelOf(wordFormId(`w${i}`));
    expect(Math.abs(ones / 8000 - 0.25)).toBeLessThan(0.02);
  });

  it('createControlTask(train).relabel(set) gives a word type the same label in every set', () => {
    const control = createControlTask(train, { seed: 3 });
    const fit = control.relabel(train);
    const test = control.relabel(set([42, 7, 42, 99_999], [2, 2, 1, 0]));
    expect(test.labels[0]).toBe(fit.labels[42]);
    expect(test.labels[1]).toBe(fit.labels[7]);
    expect(test.labels[2]).toBe(test.labels[0]);
    // A type unseen in fitting gets a label too, the same each time.
    expect(test.labels[3]).toBe(control.labelOf(99_999));
    expect(createControlTask(train, { seed: 3 }).labelOf(12345)).toBe(control.labelOf(12345));
  });

  it('createControlTask(train).relabel(set) keeps vectors, offsets, word ids and metadata', () => {
    const control = createControlTask(train);
    const test = set([1, 2], [2, 2]);
    const relabelled = control.relabel(test);
    expect(relabelled.x).toBe(test.x);
    expect(relabelled.sentenceOffsets).toBe(test.sentenceOffsets);
    expect(relabelled.wordIds).toBe(test.wordIds);
    expect(relabelled.numLabels).toBe(3);
    expect(relabelled.language).toBe('en');
    expect(Array.from(relabelled.labels)).toEqual([control.labelOf(1), control.labelOf(2)]);
    expect(Array.from(test.labels)).toEqual([2, 2]);
  });

  it('createControlTask(train, { seed }) changes the assignment with the seed', () => {
    const a = createControlTask(train, { seed: 1 });
    const b = createControlTask(train, { seed: 2 });
    let same = 0;
    for (let w = 0; w < 2000; w++) if (a.labelOf(w) === b.labelOf(w)) same++;
    // Independent draws agree with probability 0.5² + 0.3² + 0.2² = 0.38.
    expect(same / 2000).toBeGreaterThan(0.3);
    expect(same / 2000).toBeLessThan(0.46);
    expect(createControlTask(train).seed).toBe(0);
  });

  it('createControlTask(train) never draws a label absent from train', () => {
    const control = createControlTask(set([1, 2, 3], [0, 2, 2]));
    for (let w = 0; w < 5000; w++) expect(control.labelOf(w)).not.toBe(1);
    const single = createControlTask(set([5], [1]));
    for (let w = -100; w < 100; w++) expect(single.labelOf(w)).toBe(1);
  });

  it('createControlTask(train) throws XLING_INVALID_ARGUMENT without train.wordIds, for an empty set or a bad seed', () => {
    expect(() => createControlTask({ ...train, wordIds: undefined })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'train\.wordIds' passed to 'createControlTask' is required/),
      }),
    );
    expect(() => createControlTask(set([], []))).toThrow(/at least one instance/);
    expect(() => createControlTask(train, { seed: 0.5 })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options\.seed/),
      }),
    );
  });

  it('createControlTask(train).relabel(set) throws XLING_SHAPE_MISMATCH and XLING_INVALID_ARGUMENT for bad sets', () => {
    const control = createControlTask(train);
    expect(() => control.relabel({ ...set([1, 2], [0, 0]), wordIds: Int32Array.of(1) })).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/set\.wordIds/),
      }),
    );
    expect(() => control.relabel(set([1], [0], 17))).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/must be 3 like the fitting set/),
      }),
    );
    expect(() => control.labelOf(1.5)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
  });
});
