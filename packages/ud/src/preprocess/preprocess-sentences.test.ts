import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConllu } from '../conllu/parse-conllu.js';
import type { Sentence } from '../conllu/types.js';
import { createPreprocessor } from './create-preprocessor.js';
import { dropEmptyNodes } from './drop-empty-nodes.js';
import { preprocessSentences } from './preprocess-sentences.js';
import { stripDeprelSubtypes } from './strip-deprel-subtypes.js';

const valid = parseConllu(
  readFileSync(fileURLToPath(new URL('../__fixtures__/valid.conllu', import.meta.url))),
);

/** A chain of n words (1 -> 0, k -> k-1) labelled nmod:poss. */
function chain(n: number): Sentence {
  const words = Array.from(
    { length: n },
    (_, i) => `${i + 1}\tw\tw\tX\t_\t_\t${i}\t${i === 0 ? 'root' : 'nmod:poss'}\t_\t_`,
  );
  return parseConllu(`${words.join('\n')}\n\n`)[0];
}

describe('preprocessSentences(sentences)', () => {
  it('preprocessSentences(sentences) applies every step by default and reports the counts', () => {
    const long = chain(130);
    const { sentences, report } = preprocessSentences([...valid, long]);
    expect(sentences).toHaveLength(2);
    const [s1, s2] = sentences;
    expect(s1.comments).toEqual([]);
    expect(s1.metadata.sent_id).toBe('s1');
    expect(s2.words.map((w) => w.form)).toEqual(['Vámonos', 'al', 'cine', '.']);
    expect(s2.emptyNodes).toEqual([]);
    expect(s2.tokens).toEqual([]);
    expect(report).toEqual({
      sentencesIn: 3,
      wordsIn: 140,
      sentencesOut: 2,
      wordsOut: 8,
      comments: { sentencesChanged: 2, linesRemoved: 4 },
      emptyNodes: { sentencesChanged: 1, nodesRemoved: 1 },
      multiwordTokens: { sentencesChanged: 1, tokensMerged: 2, wordsRemoved: 2 },
      deprelSubtypes: { sentencesChanged: 1, wordsChanged: 129 },
      maxWords: { sentencesRemoved: 1, wordsRemoved: 130 },
      validTree: { sentencesRemoved: 0, wordsRemoved: 0 },
    });
    // Inputs are not modified.
    expect(valid[1].words).toHaveLength(6);
    expect(long.words[1].deprel).toBe('nmod:poss');
  });

  it('preprocessSentences(sentences) drops sentences that are not trees, counting their words', () => {
    // parseConllu (lenient) rejects cycles; build one by hand from a valid sentence.
    const cyclic: Sentence = {
      ...valid[0],
      words: valid[0].words.map((w) => ({ ...w, head: w.id === 2 ? 1 : w.head })),
    };
    const { sentences, report } = preprocessSentences([cyclic, valid[0]]);
    expect(sentences).toHaveLength(1);
    expect(report.validTree).toEqual({ sentencesRemoved: 1, wordsRemoved: 4 });
  });

  it('preprocessSentences(sentences, options) turns each step off', () => {
    const { sentences, report } = preprocessSentences(valid, {
      dropComments: false,
      dropEmptyNodes: false,
      mergeMultiwordTokens: false,
      stripDeprelSubtypes: false,
      maxWords: Number.POSITIVE_INFINITY,
      validTree: 'off',
    });
    expect(sentences).toEqual(valid);
    expect(report.sentencesOut).toBe(2);
    expect(report.wordsOut).toBe(10);
  });

  it('preprocessSentences(sentences, { maxWords: 4 }) keeps sentences of exactly 4 words', () => {
    const { report } = preprocessSentences(valid, { maxWords: 4 });
    // s1 has 4 words; s2 has 4 after merging its two ranges.
    expect(report.maxWords.sentencesRemoved).toBe(0);
    expect(preprocessSentences(valid, { maxWords: 3 }).report.maxWords).toEqual({
      sentencesRemoved: 2,
      wordsRemoved: 8,
    });
  });

  it('createPreprocessor(options) throws XLING_INVALID_ARGUMENT for a bad maxWords or validTree', () => {
    expect(() => createPreprocessor({ maxWords: 0 })).toThrow(
      /options.maxWords' passed to 'createPreprocessor' must be an integer >= 1 or Infinity/,
    );
    expect(() => createPreprocessor({ maxWords: 2.5 })).toThrow(/options.maxWords/);
    expect(() => createPreprocessor({ validTree: 'yes' as 'off' })).toThrow(/options.validTree/);
  });
});

describe('dropEmptyNodes(sentence)', () => {
  it('dropEmptyNodes(sentence) removes empty nodes and leaves the input alone', () => {
    expect(dropEmptyNodes(valid[1]).emptyNodes).toEqual([]);
    expect(valid[1].emptyNodes).toHaveLength(1);
    expect(dropEmptyNodes(valid[0])).toBe(valid[0]);
  });
});

describe('stripDeprelSubtypes(sentence)', () => {
  it('stripDeprelSubtypes(sentence) maps nmod:poss to nmod', () => {
    const s = chain(3);
    expect(stripDeprelSubtypes(s).words.map((w) => w.deprel)).toEqual(['root', 'nmod', 'nmod']);
    expect(stripDeprelSubtypes(valid[0])).toBe(valid[0]);
  });
});
