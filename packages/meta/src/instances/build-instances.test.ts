import { deprel, upos } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { wordFormId } from '../baselines/word-form-id.js';
import { buildInstances } from './build-instances.js';
import { countLabels } from './count-labels.js';
import { validLabels } from './valid-labels.js';

// Two sentences: "dogs bark" (bark = root) and "I see it".
const sentences = [
  {
    words: [
      { upos: 'NOUN', head: 2, deprel: 'nsubj' },
      { upos: 'VERB', head: 0, deprel: 'root' },
    ],
  },
  {
    words: [
      { upos: 'PRON', head: 2, deprel: 'nsubj' },
      { upos: 'VERB', head: 0, deprel: 'root' },
      { upos: 'PRON', head: 2, deprel: 'obj:lvc' },
    ],
  },
];
const wordVectors = [
  [1, 0],
  [0, 1],
  [2, 2],
  [3, 5],
  [7, 1],
];
const rootVectors = [
  [10, 10],
  [20, 20],
];

describe('buildInstances', () => {
  it("buildInstances(input, { task: 'upos' }) returns word vectors with UPOS ids and sentence offsets", () => {
    const set = buildInstances({ sentences, wordVectors }, { task: 'upos', language: 'en' });
    expectClose(set.x, wordVectors, { rtol: 0, atol: 0 });
    expect(Array.from(set.labels)).toEqual(['NOUN', 'VERB', 'PRON', 'VERB', 'PRON'].map((l) => upos.id(l)));
    expect(Array.from(set.sentenceOffsets!)).toEqual([0, 2, 5]);
    expect(set.numLabels).toBe(17);
    expect(set.fitSplit).toBe('train');
    expect(set.language).toBe('en');
  });

  it("buildInstances(input, { task: 'deprel' }) returns head minus dependent, the root's head being the root vector", () => {
    const set = buildInstances({ sentences, wordVectors, rootVectors }, { task: 'deprel', fitSplit: 'dev' });
    expectClose(
      set.x,
      [
        [0 - 1, 1 - 0],
        [10 - 0, 10 - 1],
        [3 - 2, 5 - 2],
        [20 - 3, 20 - 5],
        [3 - 7, 5 - 1],
      ],
      { rtol: 0, atol: 0 },
    );
    // Subtypes are stripped: obj:lvc -> obj.
    expect(Array.from(set.labels)).toEqual(
      ['nsubj', 'root', 'nsubj', 'root', 'obj'].map((l) => deprel.id(l)),
    );
    expect(set.numLabels).toBe(37);
    expect(set.fitSplit).toBe('dev');
  });

  it('buildInstances(input, { labels }) keeps only the listed labels and every sentence', () => {
    const set = buildInstances({ sentences, wordVectors }, { task: 'upos', labels: ['PRON'] });
    expect(set.x.rows).toBe(2);
    expect(Array.from(set.sentenceOffsets!)).toEqual([0, 0, 2]);
  });

  it('buildInstances(input) drops words whose label is not in the inventory', () => {
    const set = buildInstances(
      { sentences: [{ words: [{ upos: '_', head: 0, deprel: 'root' }] }], wordVectors: [[1, 2]] },
      { task: 'upos' },
    );
    expect(set.x.rows).toBe(0);
  });

  it('buildInstances(input) returns wordIds of the forms, aligned with the rows that are kept', () => {
    const forms = [
      ['dogs', 'bark'],
      ['I', 'see', 'it'],
    ];
    const withForms = sentences.map((s, i) => ({
      words: s.words.map((w, j) => ({ ...w, form: forms[i][j] })),
    }));
    const all = buildInstances({ sentences: withForms, wordVectors }, { task: 'upos' });
    expect(Array.from(all.wordIds!)).toEqual(['dogs', 'bark', 'I', 'see', 'it'].map(wordFormId));
    const pron = buildInstances({ sentences: withForms, wordVectors }, { task: 'upos', labels: ['PRON'] });
    expect(Array.from(pron.wordIds!)).toEqual(['I', 'it'].map(wordFormId));
    // Deprel rows carry the dependent's form; the word with an unknown label is dropped with its id.
    withForms[1].words[1] = { ...withForms[1].words[1], deprel: '_' };
    const rel = buildInstances({ sentences: withForms, wordVectors, rootVectors }, { task: 'deprel' });
    expect(rel.x.rows).toBe(4);
    expect(Array.from(rel.wordIds!)).toEqual(['dogs', 'bark', 'I', 'it'].map(wordFormId));
    expect(Array.from(rel.labels)).toEqual(['nsubj', 'root', 'nsubj', 'obj'].map((l) => deprel.id(l)));
    expectClose(
      rel.x,
      [
        [-1, 1],
        [10, 9],
        [1, 3],
        [-4, 4],
      ],
      { rtol: 0, atol: 0 },
    );
  });

  it('buildInstances(input) gives composed and decomposed forms the same word id', () => {
    const set = buildInstances(
      {
        sentences: [
          {
            words: [
              { upos: 'NOUN', head: 0, deprel: 'root', form: 'caf\u00e9' },
              { upos: 'NOUN', head: 1, deprel: 'dep', form: 'cafe\u0301' },
            ],
          },
        ],
        wordVectors: [[1], [2]],
      },
      { task: 'upos' },
    );
    expect(set.wordIds![0]).toBe(set.wordIds![1]);
  });

  it('buildInstances(input) returns no wordIds unless every word has a form', () => {
    const some = [{ words: [{ ...sentences[0].words[0], form: 'dogs' }, sentences[0].words[1]] }];
    expect(
      buildInstances({ sentences: some, wordVectors: wordVectors.slice(0, 2) }, { task: 'upos' }).wordIds,
    ).toBeUndefined();
    expect(buildInstances({ sentences, wordVectors }, { task: 'upos' })).not.toHaveProperty('wordIds');
  });

  it('buildInstances({ sentences: [] }) returns an empty set', () => {
    const set = buildInstances({ sentences: [], wordVectors: [], rootVectors: [] }, { task: 'deprel' });
    expect(set.x.rows).toBe(0);
    expect(Array.from(set.sentenceOffsets!)).toEqual([0]);
  });

  it('buildInstances(input) throws XLING_SHAPE_MISMATCH when word vectors do not match the words', () => {
    expect(() => buildInstances({ sentences, wordVectors: wordVectors.slice(1) }, { task: 'upos' })).toThrow(
      expect.objectContaining({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(/5 rows \(one per word\), but got 4/),
      }),
    );
    expect(() =>
      buildInstances({ sentences, wordVectors, rootVectors: [[1, 1]] }, { task: 'deprel' }),
    ).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
  });

  it("buildInstances(input, { task: 'upos' }) throws XLING_INVALID_ARGUMENT, not a TypeError, without sentences", () => {
    expect(() => buildInstances(undefined as never, { task: 'upos' })).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'input\.sentences' passed to 'buildInstances' must be an array/),
      }),
    );
  });

  it("buildInstances(input, { task: 'deprel' }) throws XLING_INVALID_ARGUMENT without root vectors or for a bad head", () => {
    expect(() => buildInstances({ sentences, wordVectors }, { task: 'deprel' })).toThrow(
      /rootVectors' passed to 'buildInstances' is required/,
    );
    const bad = [{ words: [{ upos: 'X', head: 5, deprel: 'dep' }] }];
    expect(() =>
      buildInstances({ sentences: bad, wordVectors: [[0, 0]], rootVectors: [[0, 0]] }, { task: 'deprel' }),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/head.*\[0, 1\], but got 5/),
      }),
    );
  });

  it('buildInstances(input) throws XLING_INVALID_ARGUMENT for NaN vectors and an unknown task', () => {
    expect(() =>
      buildInstances(
        { sentences, wordVectors: [[Number.NaN, 0], ...wordVectors.slice(1)] },
        { task: 'upos' },
      ),
    ).toThrow(/finite/);
    expect(() => buildInstances({ sentences, wordVectors }, { task: 'ner' as never })).toThrow(
      /options\.task/,
    );
  });
});

describe('countLabels and validLabels', () => {
  it('countLabels(labels, n) counts ids and throws XLING_INVALID_ARGUMENT out of range', () => {
    expect(Array.from(countLabels([0, 2, 2], 3))).toEqual([1, 0, 2]);
    expect(() => countLabels([3], 3)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
  });

  it('validLabels(source, target) keeps labels with >= 10 instances in both', () => {
    expect(Array.from(validLabels([10, 50, 9, 30], [10, 9, 100, 30]))).toEqual([0, 3]);
    expect(Array.from(validLabels([1, 2], [1, 2], { minCount: 2 }))).toEqual([1]);
    expect(Array.from(validLabels([], []))).toEqual([]);
  });

  it('validLabels(source, target) throws XLING_SHAPE_MISMATCH for different lengths', () => {
    expect(() => validLabels([1, 2], [1])).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
  });
});
