import type { InstanceSet } from '@xling/meta';
import { describe, expect, it } from 'vitest';
import { metaSplits } from './meta-splits.js';

function set(sentences: number, tag: number): InstanceSet {
  // One instance per sentence whose single feature identifies the sentence.
  return {
    x: { rows: sentences, cols: 1, data: Float64Array.from({ length: sentences }, (_, i) => tag * 1000 + i) },
    labels: new Int32Array(sentences),
    sentenceOffsets: Int32Array.from({ length: sentences + 1 }, (_, i) => i),
    numLabels: 17,
  };
}

const ids = (s: InstanceSet) => Array.from(s.x.data);

describe('metaSplits(languages, seed)', () => {
  it('never validates on sentences a language is meta-trained on', () => {
    const { training, validation } = metaSplits(
      [
        { language: 'de', fit: set(50, 1), meta: true, validation: true },
        { language: 'cy', fit: set(30, 2), dev: set(10, 3), meta: true, validation: true },
        { language: 'ja', fit: set(20, 4), meta: false, validation: true },
        { language: 'en', fit: set(40, 5), meta: true, validation: false },
      ],
      0,
    );
    // de has no separate dev: 20% held out for validation, the rest trains.
    expect(validation.de.x.rows).toBe(10);
    expect(training.de.x.rows).toBe(40);
    expect(ids(training.de).filter((v) => ids(validation.de).includes(v))).toEqual([]);
    // cy validates on its dev split and trains on all of its fitting split.
    expect(ids(validation.cy)).toEqual(ids(set(10, 3)));
    expect(training.cy.x.rows).toBe(30);
    // ja only validates; en only trains, on everything.
    expect(training.ja).toBeUndefined();
    expect(validation.ja.x.rows).toBe(4);
    expect(training.en.x.rows).toBe(40);
    expect(validation.en).toBeUndefined();
  });

  it('is reproducible from the seed', () => {
    const input = [{ language: 'de', fit: set(50, 1), meta: true, validation: true }];
    expect(ids(metaSplits(input, 3).validation.de)).toEqual(ids(metaSplits(input, 3).validation.de));
    expect(ids(metaSplits(input, 3).validation.de)).not.toEqual(ids(metaSplits(input, 4).validation.de));
  });
});
