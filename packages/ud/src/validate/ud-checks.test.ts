import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { FileFormatError } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { parseConllu } from '../conllu/parse-conllu.js';
import { readConllu } from '../conllu/read-conllu.js';
import { conlluRules } from './conllu-rules.js';
import { validateConllu } from './validate-conllu.js';

// The sub-cases of UD's level-1 and level-2 checks behind each rule; the one-fault fixtures are
// in validate-conllu.test.ts.
const valid = readFileSync(fileURLToPath(new URL('../__fixtures__/valid.conllu', import.meta.url)), 'utf8');
const validatorOnly = new Set(conlluRules.filter((r) => r.validatorOnly).map((r) => r.id));

/** `rule@line` of every error (structure only: snippets carry no sent_id or text). */
function errors(text: string, conventions = false): string[] {
  return validateConllu(text, { warnings: false })
    .filter((d) => conventions || !validatorOnly.has(d.ruleId))
    .map((d) => `${d.ruleId}@${d.line}`);
}

/** valid.conllu with `from` replaced by `to` (once; `from` must occur). */
function variant(from: string, to: string): string {
  expect(valid).toContain(from);
  return valid.replace(from, to);
}

const row = (...cells: string[]) => cells.join('\t');
const word = (id: number, head: string, deprel: string, deps = '_', misc = '_') =>
  row(String(id), `w${id}`, `w${id}`, 'X', '_', '_', head, deprel, deps, misc);
const doc = (...lines: string[]) => `${lines.join('\n')}\n\n`;

describe('UD level-1 and level-2 checks', () => {
  it('empty nodes: UPOS and FEATS are checked, HEAD and DEPREL must be _ (empty-node-columns)', () => {
    const node = (upos: string, feats: string, head = '_', deprel = '_') =>
      doc(word(1, '0', 'root', '0:root'), row('1.1', 'e', 'e', upos, '_', feats, head, deprel, '1:dep', '_'));
    expect(errors(node('_', '_'))).toEqual([]);
    expect(errors(node('VERB', 'Tense=Pres'))).toEqual([]);
    expect(errors(node('verb', '_'))).toEqual(['upos-known@2']);
    expect(errors(node('VERB', 'tense=pres'))).toEqual(['feats-format@2']);
    expect(errors(node('VERB', '_', '1', 'dep'))).toEqual(['empty-node-columns@2', 'empty-node-columns@2']);
  });

  it('empty-node-id: an empty node between a multiword token line and its first word is misplaced', () => {
    const words = [1, 2, 3].map((i) => word(i, i === 1 ? '0' : '1', i === 1 ? 'root' : 'dep'));
    const range = row('2-3', 'w23', '_', '_', '_', '_', '_', '_', '_', '_');
    const node = row('1.1', 'e', 'e', '_', '_', '_', '_', '_', '_', '_');
    expect(errors(doc(words[0], node, range, words[1], words[2]))).toEqual([]);
    expect(errors(doc(words[0], range, node, words[1], words[2]))).toEqual(['empty-node-id@3']);
  });

  it('head-format: DEPREL set on any word of a sentence whose HEADs are all _', () => {
    const unset = (deprel: string) => row('2', 'b', 'b', 'X', '_', '_', '_', deprel, '_', '_');
    const first = row('1', 'a', 'a', 'X', '_', '_', '_', '_', '_', '_');
    expect(errors(doc(first, unset('_')))).toEqual([]);
    expect(errors(doc(first, unset('nsubj')))).toEqual(['head-format@2']);
  });

  it('duplicate-sent-id: both sent_id lines of a sentence are checked (UD test case multiple-sent_id)', () => {
    const sentence = (...ids: string[]) =>
      [...ids.map((id) => `# sent_id = ${id}`), word(1, '0', 'root')].join('\n');
    const text = `${[sentence('a'), sentence('b'), sentence('a', 'b')].join('\n\n')}\n\n`;
    expect(errors(text)).toEqual(['duplicate-sent-id@7', 'duplicate-sent-id@8']);
  });

  it('empty-sentence: a sentence of empty nodes or ranges only is a FileFormatError with file and line', () => {
    const text = `${valid}# sent_id = s3\n0.1\te\te\t_\t_\t_\t_\t_\t_\t_\n\n`;
    expect(errors(text)).toEqual(['empty-sentence@21']);
    expect(() => parseConllu(text, { file: 'x.conllu' })).toThrow(FileFormatError);
    expect(() => parseConllu(text, { file: 'x.conllu' })).toThrow(
      /^x\.conllu:21:1: Sentence without words: .* \(empty-sentence\)$/,
    );
    expect(parseConllu(text, { mode: 'lenient' })).toHaveLength(2);
  });

  it('empty-sentence: readConllu(stream) throws the same coded error at the same line', async () => {
    const text = `${valid}1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n\n`;
    const read = async () => {
      for await (const _ of readConllu(Readable.from([Buffer.from(text)]), { file: 's.conllu' }));
    };
    await expect(read()).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      line: 20,
      ruleId: 'empty-sentence',
    });
  });

  it('feats-format: several values sorted and distinct, names starting with a capital letter', () => {
    const feats = (value: string) => errors(doc(row('1', 'a', 'a', 'X', '_', value, '0', 'root', '_', '_')));
    expect(feats('Number=Plur,Sing|Person[psor]=1,3')).toEqual([]);
    expect(feats('Number=Sing,Plur')).toEqual(['feats-format@1']);
    expect(feats('Number=Plur,Plur')).toEqual(['feats-format@1']);
    expect(feats('1Case=Nom')).toEqual(['feats-format@1']);
    expect(
      validateConllu(doc(row('1', 'a', 'a', 'X', '_', 'Number=Sing,Plur', '0', 'root', '_', '_')))[0]
        ?.message,
    ).toMatch(/values of 'Number' are not sorted/);
  });

  it('deps-*: heads exist, sorted by head (4 < 4.1 < 5) then relation, no self-loop, lowercase relations, root only from 0', () => {
    const deps = (value: string) => errors(variant('\t1\tpunct\t1:punct\t', `\t1\tpunct\t${value}\t`));
    expect(deps('1:punct|5.1:dep')).toEqual([]);
    expect(deps('1:conj:and|1:punct|1:ref')).toEqual([]);
    expect(deps('1:obl:в:loc')).toEqual([]);
    expect(deps('5.1:dep|1:punct')).toEqual(['deps-order@18']);
    expect(deps('1:punct|1:dep')).toEqual(['deps-order@18']);
    expect(deps('1:punct|1:punct')).toEqual(['deps-order@18']);
    expect(deps('1:punct|5.2:dep')).toEqual(['deps-heads@18']);
    expect(deps('6:punct')).toEqual(['deps-self-loop@18']);
    expect(deps('1:Punct')).toEqual(['deps-relation@18']);
    expect(deps('1:obl:В')).toEqual(['deps-relation@18']);
    expect(deps('1:punctuation')).toEqual(['deps-relation@18']);
    expect(deps('0:punct')).toEqual(['deps-root@18']);
    expect(deps('1:root')).toEqual(['deps-root@18']);
    expect(deps('01:punct')).toEqual(['deps-format@18']);
  });

  it('internal-whitespace and repeated-whitespace: spaces only inside FORM and LEMMA of words, and MISC; never two', () => {
    const cells = (form: string, xpos = '_', misc = '_') =>
      doc(row('1', form, form, 'X', xpos, '_', '0', 'root', '_', misc));
    expect(errors(cells('100 000'))).toEqual([]);
    expect(errors(cells('a', '_', 'Gloss=a b'))).toEqual([]);
    expect(errors(cells('a', 'N\u3000N'))).toEqual(['internal-whitespace@1']);
    // FORM and LEMMA: once per column.
    expect(errors(cells('a\u00a0\u00a0b'))).toEqual(['repeated-whitespace@1', 'repeated-whitespace@1']);
    expect(errors(cells('a', '_', 'Gloss=a  b'))).toEqual(['repeated-whitespace@1']);
    expect(errors(cells('\u2003a'))).toEqual(['field-whitespace@1', 'field-whitespace@1']);
    const range = doc(
      row('1-2', 'a b', '_', '_', '_', '_', '_', '_', '_', '_'),
      word(1, '0', 'root'),
      word(2, '1', 'dep'),
    );
    expect(errors(range)).toEqual(['internal-whitespace@1']);
  });

  it('multiword-columns: LEMMA to DEPS of a range are _, except FEATS Typo=Yes', () => {
    const range = (feats: string, lemma = '_') =>
      errors(
        doc(
          row('1-2', 'ab', lemma, '_', '_', feats, '_', '_', '_', '_'),
          word(1, '0', 'root'),
          word(2, '1', 'dep'),
        ),
      );
    expect(range('Typo=Yes')).toEqual([]);
    expect(range('Case=Nom')).toEqual(['multiword-columns@1']);
    expect(range('_', 'ab')).toEqual(['multiword-columns@1']);
  });

  it("sentence-text follows UD's text check: whitespace runs pass, a missing SpaceAfter=No and two texts do not", () => {
    const text = (line: string) => errors(variant('# text = They buy books.', line), true);
    expect(text('# text = They  buy books.')).toEqual([]);
    expect(text('# text = They buy books .')).toEqual(['sentence-text@6']);
    expect(text('# text = Theybuy books.')).toEqual(['sentence-text@3']);
    expect(text('# text = They buy books.\n# text = again')).toEqual(['sentence-text@3']);
    expect(text('# text = They buy books. Extra')).toEqual(['sentence-text@1']);
  });

  it('sent-id-format: one sent_id without spaces and with at most one slash', () => {
    const id = (line: string) => errors(variant('# sent_id = s1', line), true);
    expect(id('# sent_id = a/b')).toEqual([]);
    expect(id('# sent_id = a/b/c')).toEqual(['sent-id-format@1']);
    expect(id('# sent_id = s1\n# sent_id = s1b')).toEqual(['sent-id-format@2']);
    expect(id('# sent_id = a b')).toEqual(['sent-id-format@1', 'sent-id-format@1']);
  });

  it('parallel-id: format, once, unique, alt and part numbered from 1 in steps of 1', () => {
    const ids = (first: string, second: string) =>
      errors(
        variant('# sent_id = s2', `# sent_id = s2\n# parallel_id = ${second}`).replace(
          '# sent_id = s1',
          `# sent_id = s1\n# parallel_id = ${first}`,
        ),
        true,
      );
    expect(ids('pud/1/alt1', 'pud/1/alt2')).toEqual([]);
    expect(ids('pud/1/part1', 'pud/2')).toEqual([]);
    expect(ids('pud/1/alt1', 'pud/1/alt3')).toEqual(['parallel-id@10']);
    expect(ids('pud/1/alt1', 'pud/1')).toEqual(['parallel-id@10']);
    expect(ids('pud/2/part2', 'pud/3')).toEqual(['parallel-id@2']);
    expect(ids('pud/1', 'pud/1')).toEqual(['parallel-id@10']);
    expect(ids('PUD/1', 'pud/1')).toEqual(['parallel-id@2']);
  });

  it("newdoc-newpar: no new paragraph after SpaceAfter=No; like UD's validator, '# newdoc id = x' is not a mark", () => {
    const noSpace = variant('2\tpunct\t2:punct\t_', '2\tpunct\t2:punct\tSpaceAfter=No');
    expect(errors(noSpace.replace('# sent_id = s2', '# newpar\n# sent_id = s2'), true)).toEqual([
      'newdoc-newpar@8',
    ]);
    expect(errors(noSpace.replace('# sent_id = s2', '# newdoc id = d2\n# sent_id = s2'), true)).toEqual([]);
    expect(errors(valid.replace('# sent_id = s2', '# newdoc\n# newdoc d2\n# sent_id = s2'), true)).toEqual([
      'newdoc-newpar@9',
    ]);
  });

  it('space-after and misc-repeated: only SpaceAfter=No, only on tokens, attributes once', () => {
    const misc = (value: string) =>
      errors(variant('\t1\tpunct\t1:punct\t_', `\t1\tpunct\t1:punct\t${value}`), true);
    expect(misc('Gloss=x|Translit=y')).toEqual([]);
    expect(misc('SpaceAfter=Yes')).toEqual(['space-after@18']);
    expect(misc('NoSpaceAfter=Yes')).toEqual(['space-after@18']);
    expect(misc('Gloss=x|Gloss=y')).toEqual(['misc-repeated@18']);
    const onNode = variant('\t1:conj\t_', '\t1:conj\tSpaceAfter=No');
    expect(errors(onNode, true)).toEqual(['space-after@17']);
  });

  it('unicode-nfc: every line, comments too, with the column of the first character NFC changes', () => {
    const text = valid.replace('# text = Vámonos al cine.', '# text = Vámonos al cine.\n# note = cafe\u0301');
    expect(validateConllu(text).map((d) => [d.ruleId, d.line, d.column])).toEqual([['unicode-nfc', 10, 13]]);
    expect(parseConllu(text)).toHaveLength(2);
    // Long input is normalized in slices of about 1 M characters; line numbers carry across them.
    const long = text.replace(
      '# text = They buy books.',
      `# text = They buy books.\n# note = ${'中'.repeat(1_100_000)}`,
    );
    expect(validateConllu(long).map((d) => [d.ruleId, d.line, d.column])).toEqual([['unicode-nfc', 11, 13]]);
  });
});
