import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileFormatError } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { parseConllu } from './parse-conllu.js';

const valid = readFileSync(fileURLToPath(new URL('../__fixtures__/valid.conllu', import.meta.url)));

describe('parseConllu(text)', () => {
  it('parseConllu(bytes) reads all 10 columns, metadata, ranges, empty nodes and enhanced deps', () => {
    const [s1, s2] = parseConllu(valid);
    expect(s1.line).toBe(1);
    expect(s1.comments).toEqual([' sent_id = s1', ' text = They buy books.']);
    expect({ ...s1.metadata }).toEqual({ sent_id: 's1', text: 'They buy books.' });
    expect(s1.words[0]).toEqual({
      id: 1,
      form: 'They',
      lemma: 'they',
      upos: 'PRON',
      xpos: 'PRP',
      feats: 'Case=Nom|Number=Plur',
      head: 2,
      deprel: 'nsubj',
      deps: '2:nsubj',
      misc: '_',
      line: 3,
    });
    expect(s1.words.map((w) => w.head)).toEqual([2, 0, 2, 2]);
    expect(s2.line).toBe(8);
    expect(s2.words.map((w) => w.form)).toEqual(['Vamos', 'nos', 'a', 'el', 'cine', '.']);
    expect(s2.tokens).toEqual([
      { start: 1, end: 2, form: 'Vámonos', misc: '_', rest: ['_', '_', '_', '_', '_', '_', '_'], line: 10 },
      { start: 3, end: 4, form: 'al', misc: '_', rest: ['_', '_', '_', '_', '_', '_', '_'], line: 13 },
    ]);
    expect(s2.emptyNodes).toEqual([
      { major: 5, minor: 1, columns: ['ir', 'ir', 'VERB', '_', '_', '_', '_', '1:conj', '_'], line: 17 },
    ]);
    expect(s2.words[4].deps).toBe('1:obl:a');
  });

  it('parseConllu(string) and parseConllu(bytes) agree', () => {
    expect(parseConllu(valid.toString('utf8'))).toEqual(parseConllu(valid));
  });

  it('parseConllu(text) parses `# key = value` comments (trimmed; not for comments without =)', () => {
    const [s] = parseConllu(
      '# newpar\n# text[eng] =\n#  a b = c = d \n# sent_id=x\n1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n',
    );
    expect({ ...s.metadata }).toEqual({ 'text[eng]': '', sent_id: 'x' });
    expect(s.comments).toEqual([' newpar', ' text[eng] =', '  a b = c = d ', ' sent_id=x']);
  });

  it("parseConllu('') returns no sentences", () => {
    expect(parseConllu('')).toEqual([]);
  });

  it('parseConllu(text) throws XLING_FILE_FORMAT with file:line:column and ruleId', () => {
    const text = '1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t7\tdep\t_\t_\n\n';
    expect(() => parseConllu(text, { file: 'x.conllu' })).toThrow(FileFormatError);
    try {
      parseConllu(text, { file: 'x.conllu' });
    } catch (error) {
      expect(error).toMatchObject({
        code: 'XLING_FILE_FORMAT',
        file: 'x.conllu',
        line: 2,
        column: 13,
        ruleId: 'head-in-range',
      });
      expect((error as Error).message).toBe(
        'x.conllu:2:13: HEAD 7 of word 2 is out of range: the sentence has 2 words. (head-in-range)',
      );
    }
  });

  it("parseConllu(text, { mode: 'lenient' }) keeps going after a bad sentence and reports it", () => {
    const good = (id: string) => `# sent_id = ${id}\n1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n`;
    const bad = '# sent_id = bad\n1\ta\ta\tX\t_\t_\t0\troot\t_\n\n';
    const skipped: unknown[] = [];
    const sentences = parseConllu(good('a') + bad + good('b'), {
      mode: 'lenient',
      onSkip: (s) => skipped.push(s),
    });
    expect(sentences.map((s) => s.metadata.sent_id)).toEqual(['a', 'b']);
    expect(skipped).toEqual([
      {
        line: 4,
        sentId: 'bad',
        diagnostics: [
          expect.objectContaining({ ruleId: 'column-count', line: 5, actual: '9', expected: '10' }),
        ],
      },
    ]);
  });

  it('parseConllu(text, options) throws XLING_INVALID_ARGUMENT for bad options or input', () => {
    expect(() => parseConllu('', { mode: 'loose' as 'strict' })).toThrow(
      /Argument 'options.mode' passed to 'parseConllu' must be one of 'strict', 'lenient', but got 'loose'/,
    );
    expect(() => parseConllu('', { colour: 1 } as object)).toThrow(/options.colour/);
    expect(() => parseConllu(null as unknown as string)).toThrow(/Argument 'text' passed to 'parseConllu'/);
  });
});
