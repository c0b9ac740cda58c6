import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileFormatError } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { parseConllu } from '../conllu/parse-conllu.js';
import type { SkippedSentence } from '../conllu/conllu-read-options.js';
import { conlluRules } from './conllu-rules.js';
import type { Diagnostic } from './diagnostic.js';
import { validateConllu } from './validate-conllu.js';

const fixture = (name: string): Buffer =>
  readFileSync(fileURLToPath(new URL(`../__fixtures__/${name}.conllu`, import.meta.url)));

// Each fixture is the valid two-sentence file `valid.conllu` (lines 1-19) with one fault:
// rule id -> [line of the diagnostic, other errors the fault necessarily causes].
const EXPECTED: Record<string, [number, string[]]> = {
  bom: [1, []],
  'invalid-utf8': [5, []],
  'crlf-line-end': [4, []],
  'final-blank-line': [18, []],
  'extra-blank-line': [8, []],
  'empty-sentence': [8, []],
  'comment-in-sentence': [5, []],
  'missing-blank-line': [8, []],
  'column-count': [5, []],
  'empty-column': [5, []],
  'field-whitespace': [5, []],
  'id-format': [5, []],
  'word-id-sequence': [5, []],
  'head-format': [5, []],
  'head-in-range': [5, []],
  'head-self-loop': [5, []],
  'head-cycle': [5, []],
  // Without a word on 0, following heads must loop somewhere.
  'no-root': [3, ['head-cycle']],
  'multiple-roots': [6, []],
  'root-deprel': [6, []],
  'upos-known': [5, []],
  'feats-format': [5, []],
  'deprel-known': [5, []],
  'deps-format': [5, []],
  'multiword-range': [13, []],
  'empty-node-id': [17, []],
  'duplicate-sent-id': [8, []],
  'unicode-nfc': [5, []],
  'internal-whitespace': [5, []],
  'repeated-whitespace': [5, []],
  'empty-node-columns': [17, []],
  'multiword-columns': [13, []],
  'deps-heads': [5, []],
  'deps-order': [5, []],
  'deps-self-loop': [5, []],
  'deps-relation': [5, []],
  'deps-root': [5, []],
  'deps-all-or-none': [8, []],
  'misc-repeated': [5, []],
  'space-after': [11, []],
  'sentence-text': [1, []],
  'sent-id-format': [1, []],
  'parallel-id': [2, []],
  'newdoc-newpar': [9, []],
  // UD's own text check fails on the changed form too.
  'text-mismatch': [2, ['sentence-text']],
};

const errorsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error');

const validatorOnly = new Set(conlluRules.filter((r) => r.validatorOnly).map((r) => r.id));
/** Diagnostics of the rules the reader enforces too (inline snippets have no sent_id or text). */
const structural = (text: string) => validateConllu(text).filter((d) => !validatorOnly.has(d.ruleId));

describe('validateConllu(text)', () => {
  it('validateConllu(text) finds nothing in the valid fixture', () => {
    expect(validateConllu(fixture('valid'))).toEqual([]);
  });

  it('every rule has a fixture and an expectation (at least 45 distinct faults, UD levels 1 and 2)', () => {
    expect(conlluRules.map((r) => r.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(conlluRules.length).toBeGreaterThanOrEqual(45);
    expect(new Set(conlluRules.map((r) => r.level))).toEqual(new Set([1, 2]));
  });

  for (const rule of conlluRules) {
    const [line, others] = EXPECTED[rule.id];
    it(`validateConllu(bytes) reports '${rule.id}' at line ${line} of __fixtures__/${rule.id}.conllu`, () => {
      const diagnostics = validateConllu(fixture(rule.id), { file: `${rule.id}.conllu` });
      const hit = diagnostics.find((d) => d.ruleId === rule.id);
      expect(hit).toMatchObject({
        ruleId: rule.id,
        line,
        severity: rule.severity,
        source: 'ud',
        file: `${rule.id}.conllu`,
      });
      expect(hit?.column).toBeGreaterThanOrEqual(1);
      const expectedErrors = rule.severity === 'error' ? [rule.id, ...others] : others;
      expect(
        errorsOf(diagnostics)
          .map((d) => d.ruleId)
          .sort(),
      ).toEqual(expectedErrors.sort());
    });

    if (rule.validatorOnly) {
      it(`parseConllu(bytes) keeps both sentences of __fixtures__/${rule.id}.conllu ('${rule.id}' is validator-only)`, () => {
        const reported: Diagnostic[] = [];
        const sentences = parseConllu(fixture(rule.id), { onDiagnostic: (d) => reported.push(d) });
        expect(sentences).toHaveLength(2);
        expect(reported).toEqual([]);
      });
    } else if (rule.severity === 'error') {
      it(`parseConllu(bytes) throws XLING_FILE_FORMAT '${rule.id}' at line ${line} in strict mode`, () => {
        let thrown: unknown;
        try {
          parseConllu(fixture(rule.id), { file: 'f.conllu' });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(FileFormatError);
        const error = thrown as FileFormatError;
        expect(error.code).toBe('XLING_FILE_FORMAT');
        // The first error in file order is this fixture's (no-root and head-cycle share line 3).
        expect(error.line).toBe(line);
        expect([rule.id, ...others]).toContain(error.ruleId);
        expect(error.message).toMatch(new RegExp(`^f\\.conllu:${line}:\\d+: .+ \\(${error.ruleId}\\)$`));
      });

      it(`parseConllu(bytes, { mode: 'lenient' }) skips only the sentence with '${rule.id}'`, () => {
        const skipped: SkippedSentence[] = [];
        const reported: Diagnostic[] = [];
        const sentences = parseConllu(fixture(rule.id), {
          mode: 'lenient',
          onSkip: (s) => skipped.push(s),
          onDiagnostic: (d) => reported.push(d),
        });
        expect(reported.some((d) => d.ruleId === rule.id && d.line === line)).toBe(true);
        // Faults between sentences (BOM, stray blank line) skip nothing; a comment-only block is
        // skipped alone; a missing blank line merges both sentences into one bad one.
        const between = rule.id === 'bom' || rule.id === 'extra-blank-line';
        const kept = between || rule.id === 'empty-sentence' ? 2 : rule.id === 'missing-blank-line' ? 0 : 1;
        expect(sentences).toHaveLength(kept);
        expect(skipped.length).toBe(between ? 0 : 1);
        for (const s of sentences) expect(['s1', 's2']).toContain(s.metadata.sent_id);
      });
    } else {
      it(`parseConllu(bytes) keeps the sentence and only reports the warning '${rule.id}'`, () => {
        const reported: Diagnostic[] = [];
        const sentences = parseConllu(fixture(rule.id), {
          warnings: true,
          onDiagnostic: (d) => reported.push(d),
        });
        expect(sentences).toHaveLength(2);
        expect(reported.map((d) => [d.ruleId, d.line])).toEqual([[rule.id, line]]);
      });
    }
  }

  it('validateConllu(text) reports overlapping, out-of-range and misplaced ranges as multiword-range', () => {
    const base = (range: string, after = 1) => {
      const words = [
        '1\ta\ta\tX\t_\t_\t0\troot\t_\t_',
        '2\tb\tb\tX\t_\t_\t1\tdep\t_\t_',
        '3\tc\tc\tX\t_\t_\t1\tdep\t_\t_',
      ];
      words.splice(after - 1, 0, `${range}\tab\t_\t_\t_\t_\t_\t_\t_\t_`);
      return `${words.join('\n')}\n\n`;
    };
    const rules = (text: string) => structural(text).map((d) => `${d.ruleId}@${d.line}:${d.message}`);
    expect(rules(base('1-2'))).toEqual([]);
    expect(rules(base('2-2', 2))[0]).toMatch(/^multiword-range@2:.*start < end/);
    expect(rules(base('2-5', 2))[0]).toMatch(/^multiword-range@2:.*after the last word/);
    expect(rules(base('2-3', 3))[0]).toMatch(/^multiword-range@3:.*right before word 2/);
    const overlap =
      '1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2-3\tbc\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n3\tc\tc\tX\t_\t_\t1\tdep\t_\t_\n\n';
    expect(rules(overlap)[0]).toMatch(/^multiword-range@3:.*overlaps/);
  });

  it('validateConllu(text) reports a malformed subtype and a missing deprel as deprel-known', () => {
    const text =
      '1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t1\tobj:\t_\t_\n3\tc\tc\tX\t_\t_\t1\tNMOD:poss\t_\t_\n\n';
    expect(structural(text).map((d) => [d.ruleId, d.line, d.actual])).toEqual([
      ['deprel-known', 2, 'obj:'],
      ['deprel-known', 3, 'NMOD:poss'],
    ]);
  });

  it('validateConllu(text) reports unsorted and repeated features as feats-format', () => {
    const line = (feats: string) => `1\ta\ta\tX\t_\t${feats}\t0\troot\t_\t_\n\n`;
    expect(structural(line('Case=Nom|Number=Plur,Sing|Typo[psor]=Yes'))).toEqual([]);
    expect(structural(line('Number=Sing|Case=Nom'))[0]).toMatchObject({
      ruleId: 'feats-format',
      message: expect.stringMatching(/'Case' is out of alphabetical order/),
    });
    expect(structural(line('Case=Nom|Case=Acc'))[0]?.message).toMatch(/'Case' appears twice/);
  });

  it('validateConllu(text) accepts an unannotated sentence (all HEAD and DEPREL unset)', () => {
    expect(structural('1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n')).toEqual([]);
  });

  it('validateConllu(text) reports empty node errors: out of range, misplaced, misnumbered', () => {
    const words = '1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n';
    const node = (id: string) => `${id}\te\te\tX\t_\t_\t_\t_\t1:dep\t_\n`;
    expect(structural(`${words}${node('2.1')}${node('2.2')}\n`)).toEqual([]);
    expect(structural(`${words}${node('3.1')}\n`)[0]).toMatchObject({ ruleId: 'empty-node-id', line: 3 });
    expect(structural(`${words}${node('2.1')}${node('2.3')}\n`)[0]).toMatchObject({
      ruleId: 'empty-node-id',
      line: 4,
      expected: '2.2',
    });
    const misplaced = `1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n${node('2.1')}2\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n\n`;
    expect(structural(misplaced)[0]).toMatchObject({ ruleId: 'empty-node-id', line: 2 });
  });

  it('validateConllu(text) stops at maxDiagnostics', () => {
    const bad = 'x\n\n'.repeat(50);
    expect(validateConllu(bad, { maxDiagnostics: 10 })).toHaveLength(10);
  });

  it('validateConllu(42) throws XLING_INVALID_ARGUMENT', () => {
    expect(() => validateConllu(42 as unknown as string)).toThrow(
      /Argument 'text' passed to 'validateConllu'/,
    );
    expect(() => validateConllu('', { maxDiagnostics: 0 })).toThrow(/options.maxDiagnostics/);
  });
});
