import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConllu } from './parse-conllu.js';
import { stringifyConllu } from './stringify-conllu.js';
import type { Sentence } from './types.js';

const valid = readFileSync(fileURLToPath(new URL('../__fixtures__/valid.conllu', import.meta.url)), 'utf8');

describe('stringifyConllu(sentences)', () => {
  it('stringifyConllu(parseConllu(text)) === text with ranges, empty nodes and comments', () => {
    expect(stringifyConllu(parseConllu(valid))).toBe(valid);
  });

  it('stringifyConllu(sentences) places an empty node 0.k before the first word', () => {
    const text = '# c\n0.1\tx\tx\tX\t_\t_\t_\t_\t1:dep\t_\n1\ta\ta\tX\t_\t_\t0\troot\t0:root\t_\n\n';
    expect(stringifyConllu(parseConllu(text))).toBe(text);
  });

  it('stringifyConllu(sentences) writes a hand-built sentence, HEAD null as _', () => {
    const sentence: Sentence = {
      comments: [' sent_id = h'],
      metadata: { sent_id: 'h' },
      words: [
        {
          id: 1,
          form: 'Hi',
          lemma: 'hi',
          upos: 'INTJ',
          xpos: '_',
          feats: '_',
          head: null,
          deprel: '_',
          deps: '_',
          misc: '_',
          line: 0,
        },
      ],
      tokens: [],
      emptyNodes: [],
      line: 0,
    };
    expect(stringifyConllu([sentence])).toBe('# sent_id = h\n1\tHi\thi\tINTJ\t_\t_\t_\t_\t_\t_\n\n');
  });

  it('stringifyConllu([]) is the empty string', () => {
    expect(stringifyConllu([])).toBe('');
  });
});
