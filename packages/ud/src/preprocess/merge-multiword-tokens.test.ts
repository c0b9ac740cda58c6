import { describe, expect, it } from 'vitest';
import { parseConllu } from '../conllu/parse-conllu.js';
import { stringifyConllu } from '../conllu/stringify-conllu.js';
import { mergedHead, mergeMultiwordTokens } from './merge-multiword-tokens.js';

/** Builds a one-sentence document from `[id, form, head, deprel]` rows (ranges: `['2-3', 'al']`). */
function doc(rows: Array<[string, string, number?, string?]>): string {
  const lines = rows.map(([id, form, head, deprel]) =>
    id.includes('-')
      ? `${id}\t${form}\t_\t_\t_\t_\t_\t_\t_\t_`
      : `${id}\t${form}\t${form.toLowerCase()}\tX\t_\t_\t${head}\t${deprel}\t_\t_`,
  );
  return `${lines.join('\n')}\n\n`;
}

const merged = (rows: Array<[string, string, number?, string?]>) => {
  const [sentence] = parseConllu(doc(rows), { mode: 'lenient' });
  return mergeMultiwordTokens(sentence).words.map((w) => [w.id, w.form, w.head, w.deprel]);
};

describe('mergeMultiwordTokens(sentence)', () => {
  it('mergeMultiwordTokens(sentence) with one external head: Voy al cine', () => {
    const rows: Array<[string, string, number?, string?]> = [
      ['1', 'Voy', 0, 'root'],
      ['2-3', 'al'],
      ['2', 'a', 4, 'case'],
      ['3', 'el', 4, 'det'],
      ['4', 'cine', 1, 'obl'],
    ];
    // Fields of the first syntactic word (a: case), surface form al, head cine re-indexed 4 -> 3.
    expect(merged(rows)).toEqual([
      [1, 'Voy', 0, 'root'],
      [2, 'al', 3, 'case'],
      [3, 'cine', 1, 'obl'],
    ]);
  });

  it('mergeMultiwordTokens(sentence): when several heads point outside, 0 wins', () => {
    // He gonna go: gon -> 0 (root), na -> 4 (go); go -> 2.
    const rows: Array<[string, string, number?, string?]> = [
      ['1', 'He', 2, 'nsubj'],
      ['2-3', 'gonna'],
      ['2', 'gon', 0, 'root'],
      ['3', 'na', 4, 'mark'],
      ['4', 'go', 2, 'xcomp'],
    ];
    expect(merged(rows)).toEqual([
      [1, 'He', 2, 'nsubj'],
      [2, 'gonna', 0, 'root'],
      [3, 'go', 2, 'xcomp'],
    ]);
  });

  it('mergeMultiwordTokens(sentence): without 0, heads that would make a 2-cycle are dropped', () => {
    // Range 2-3: x -> 4, y -> 1; word 4 -> 3 lies inside the range, so 4 would make a 2-cycle.
    const rows: Array<[string, string, number?, string?]> = [
      ['1', 'r', 0, 'root'],
      ['2-3', 'xy'],
      ['2', 'x', 4, 'obj'],
      ['3', 'y', 1, 'obj'],
      ['4', 'z', 3, 'dep'],
    ];
    expect(merged(rows)).toEqual([
      [1, 'r', 0, 'root'],
      [2, 'xy', 1, 'obj'],
      [3, 'z', 2, 'dep'],
    ]);
  });

  it('mergeMultiwordTokens(sentence): otherwise the last external head wins', () => {
    // Range 2-3: x -> 1, y -> 4; neither 1 (-> 0) nor 4 (-> 1) points back into the range.
    const rows: Array<[string, string, number?, string?]> = [
      ['1', 'r', 0, 'root'],
      ['2-3', 'xy'],
      ['2', 'x', 1, 'dep'],
      ['3', 'y', 4, 'dep'],
      ['4', 'z', 1, 'dep'],
    ];
    expect(merged(rows)).toEqual([
      [1, 'r', 0, 'root'],
      [2, 'xy', 3, 'dep'],
      [3, 'z', 1, 'dep'],
    ]);
  });

  it('mergedHead(words, a, b) takes the last of all when every candidate would make a 2-cycle', () => {
    const word = (id: number, head: number) => ({ id, head }) as never;
    // Range 2-3: 2 -> 1, 3 -> 4; 1 -> 2 and 4 -> 3 both point back inside; 5 is the root.
    const words = [word(1, 2), word(2, 1), word(3, 4), word(4, 3), word(5, 0)];
    expect(mergedHead(words, 2, 3)).toBe(4);
  });

  it('mergeMultiwordTokens(sentence) remaps heads after several ranges, DEPS ids and empty nodes', () => {
    const text = [
      '1-2\tVámonos\t_\t_\t_\t_\t_\t_\t_\t_',
      '1\tVamos\tir\tVERB\t_\t_\t0\troot\t0:root\t_',
      '2\tnos\tnosotros\tPRON\t_\t_\t1\tobj\t1:obj\t_',
      '3-4\tal\t_\t_\t_\t_\t_\t_\t_\t_',
      '3\ta\ta\tADP\t_\t_\t5\tcase\t5:case\t_',
      '4\tel\tel\tDET\t_\t_\t5\tdet\t5:det\t_',
      '5\tcine\tcine\tNOUN\t_\t_\t1\tobl\t1:obl:a|5.1:dep\tSpaceAfter=No',
      '5.1\tir\tir\tVERB\t_\t_\t_\t_\t1:conj\t_',
      '6\t.\t.\tPUNCT\t_\t_\t1\tpunct\t1:punct\t_',
      '',
      '',
    ].join('\n');
    const [sentence] = parseConllu(text);
    const result = mergeMultiwordTokens(sentence);
    expect(stringifyConllu([result])).toBe(
      [
        '1\tVámonos\tir\tVERB\t_\t_\t0\troot\t0:root\t_',
        '2\tal\ta\tADP\t_\t_\t3\tcase\t3:case\t_',
        '3\tcine\tcine\tNOUN\t_\t_\t1\tobl\t1:obl:a|3.1:dep\tSpaceAfter=No',
        '3.1\tir\tir\tVERB\t_\t_\t_\t_\t1:conj\t_',
        '4\t.\t.\tPUNCT\t_\t_\t1\tpunct\t1:punct\t_',
        '',
        '',
      ].join('\n'),
    );
    expect(sentence.words).toHaveLength(6);
  });

  it('mergeMultiwordTokens(sentence) returns the same object when there are no ranges', () => {
    const [sentence] = parseConllu(doc([['1', 'a', 0, 'root']]));
    expect(mergeMultiwordTokens(sentence)).toBe(sentence);
  });
});
