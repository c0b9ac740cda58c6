import { isUtf8 } from 'node:buffer';
import { FileFormatError } from '@xling/core';
import type { Diagnostic } from '../validate/diagnostic.js';
import { createRuleContext, type RuleContext, type RuleDefinition } from '../validate/rule.js';
import {
  bomRule,
  columnCountRule,
  commentInSentenceRule,
  crlfLineEndRule,
  emptyColumnRule,
  emptySentenceRule,
  extraBlankLineRule,
  fieldWhitespaceRule,
  finalBlankLineRule,
  headFormatRule,
  idFormatRule,
  internalWhitespaceRule,
  invalidUtf8Rule,
  missingBlankLineRule,
  repeatedWhitespaceRule,
  SENTENCE_ERROR_RULES,
  SENTENCE_WARNING_RULES,
  unicodeNfcRule,
  VALIDATOR_ONLY_RULES,
  wordIdSequenceRule,
} from '../validate/rules/index.js';
import type { SkippedSentence } from './conllu-read-options.js';
import { findInvalidUtf8 } from './find-invalid-utf8.js';
import type { Sentence, Word } from './types.js';

/** What the tokenizer does with problems; filled from the public read options. */
export interface ParserSettings {
  file: string;
  mode: 'strict' | 'lenient';
  /** Run warning rules (`text-mismatch`); they never skip a sentence. */
  warnings: boolean;
  /** Keep complete sentences in `sentences` (false when only diagnostics are wanted). */
  keepSentences: boolean;
  /** Also run the rules marked `validatorOnly` (the validator does; the reader does not). */
  validatorRules: boolean;
  onDiagnostic?: (diagnostic: Diagnostic) => void;
  onSkip?: (skipped: SkippedSentence) => void;
}

// Single-character ASCII strings, so `_` (the commonest value of most columns) is never allocated.
const ASCII: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const INTERN_SIZE = 1 << 14;
const INTERN_MASK = INTERN_SIZE - 1;

const COLUMN_NAMES = ['ID', 'FORM', 'LEMMA', 'UPOS', 'XPOS', 'FEATS', 'HEAD', 'DEPREL', 'DEPS', 'MISC'];

// Whitespace other than tab and line feed, as Python's str.isspace (which UD's validator uses) sees it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C-U+001F are whitespace to str.isspace.
const WHITESPACE = /[\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

function isWhitespace(c: number): boolean {
  // Ordered so that letters of most scripts are rejected after two comparisons.
  if (c <= 0x20) return c >= 0x1c || (c >= 0x0b && c <= 0x0d);
  if (c < 0x1680) return c === 0x85 || c === 0xa0;
  if (c < 0x2000) return c === 0x1680;
  if (c <= 0x200a) return true;
  return c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

// Text made only of code points below U+0300 is in NFC: no character there decomposes or combines.
const MAY_NEED_NFC = /[\u0300-\uffff]/;
// Normalization never crosses a line feed, so long input is checked in slices of whole lines.
const NFC_SLICE = 1 << 20;

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column;
}

/** The error that strict reading throws for a diagnostic. */
export function diagnosticToError(diagnostic: Diagnostic): FileFormatError {
  return new FileFormatError({
    file: diagnostic.file,
    line: diagnostic.line,
    column: diagnostic.column,
    ruleId: diagnostic.ruleId,
    reason: diagnostic.message,
  });
}

/**
 * Incremental CoNLL-U tokenizer and checker behind `parseConllu`, `readConllu` and
 * `validateConllu`. Input arrives as decoded text holding whole lines (`push(text, false)`)
 * and finally the rest (`push(text, true)`); sentences may span pushes.
 *
 * Speed: lines and columns are found with `indexOf` on the decoded chunk (no regex, no
 * `split`), ids and heads are parsed from char codes without slicing, and the only
 * per-line allocations are the column strings the `Word` keeps.
 */
export class ConlluParser {
  /** Complete sentences not yet taken by the caller (empty them after each push). */
  readonly sentences: Sentence[] = [];
  /** In strict mode: the first error, after which input is ignored. */
  fatal: FileFormatError | null = null;
  /** Sentences left out in lenient mode. */
  skipped = 0;
  /** Lines seen so far. */
  lineNo = 0;

  private readonly settings: ParserSettings;
  private readonly strict: boolean;
  private started = false;
  private cur: Sentence | null = null;
  private errors: Diagnostic[] | null = null;
  private warns: Diagnostic[] | null = null;
  private sawToken = false;
  private broken = false;
  private nullHeads = 0;
  private firstNullHead: Word | null = null;
  private badLines: Map<number, number> | null = null;
  /** Lines not in NFC, with the column of the first character that normalization changes. */
  private unnormalized: Map<number, number> | null = null;
  private readonly tabs = new Int32Array(9);
  private tabPos = -2;
  private spacePos = -2;
  private numberValue = 0;
  // Direct-mapped cache of short column values: treebanks repeat the same UPOS, FEATS, DEPREL and
  // frequent forms and lemmas on most lines, so reusing one string instead of slicing a new one
  // removes most per-word allocations (and garbage collection was the largest cost).
  private readonly interned: Array<string | undefined> = new Array(INTERN_SIZE);
  private readonly context: RuleContext;

  constructor(settings: ParserSettings) {
    this.settings = settings;
    this.strict = settings.mode === 'strict';
    this.context = createRuleContext((rule, line, column, message, actual, expected) =>
      this.report(rule, line, column, message, actual, expected),
    );
  }

  /** Feeds raw bytes holding whole lines (or the rest of the input when `final`); checks UTF-8. */
  pushBytes(bytes: Uint8Array, final: boolean): void {
    const buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!isUtf8(buffer)) this.markInvalidUtf8(buffer);
    this.push(buffer.toString('utf8'), final);
  }

  /** Feeds decoded text holding whole lines, or (when `final`) the rest of the input. */
  push(s: string, final: boolean): void {
    const n = s.length;
    let p = 0;
    this.tabPos = -2;
    this.spacePos = -2;
    if (this.settings.validatorRules) this.markUnnormalized(s);
    if (!this.started && n > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) {
        this.report(bomRule, 1, 1, 'The file starts with a byte order mark (U+FEFF).', 'U+FEFF');
        p = 1;
      }
    }
    while (p < n && this.fatal === null) {
      let e = s.indexOf('\n', p);
      if (e === -1) {
        if (!final) break;
        e = n;
      }
      const line = ++this.lineNo;
      let le = e;
      const crlf = le > p && s.charCodeAt(le - 1) === 13;
      if (crlf) le--;
      if (le === p) this.blankLine(line);
      else if (s.charCodeAt(p) === 35) this.commentLine(s, p, le, line);
      else this.tokenLine(s, p, le, line);
      if (crlf)
        this.report(
          crlfLineEndRule,
          line,
          le - p + 1,
          'The line ends with CR LF instead of LF.',
          '\\r\\n',
          '\\n',
        );
      if (this.unnormalized !== null) this.reportUnnormalized(line);
      if (this.badLines !== null) {
        const column = this.badLines.get(line);
        if (column !== undefined) {
          this.badLines.delete(line);
          this.report(
            invalidUtf8Rule,
            line,
            column,
            `Invalid UTF-8 byte sequence at byte ${column} of the line.`,
          );
        }
      }
      p = e + 1;
    }
    if (final && this.fatal === null && this.cur !== null) {
      this.report(finalBlankLineRule, this.lineNo, 1, finalLineMessage(n > 0 && s.charCodeAt(n - 1) !== 10));
      this.finish();
    }
  }

  private markInvalidUtf8(bytes: Uint8Array): void {
    const offsets = findInvalidUtf8(bytes, 0, bytes.length);
    if (offsets.length === 0) return;
    this.badLines ??= new Map();
    let line = this.lineNo + 1;
    let lineStart = 0;
    let i = 0;
    for (const offset of offsets) {
      for (; i < offset; i++) {
        if (bytes[i] === 10) {
          line++;
          lineStart = i + 1;
        }
      }
      if (!this.badLines.has(line)) this.badLines.set(line, offset - lineStart + 1);
    }
  }

  private markUnnormalized(s: string): void {
    if (!MAY_NEED_NFC.test(s)) return;
    let line = this.lineNo + 1;
    for (let start = 0; start < s.length; ) {
      let end = start + NFC_SLICE;
      if (end >= s.length) end = s.length;
      else {
        const nl = s.indexOf('\n', end);
        end = nl === -1 ? s.length : nl + 1;
      }
      const slice = s.slice(start, end);
      if (slice.normalize('NFC') !== slice) this.markLines(slice.split('\n'), line);
      for (let nl = slice.indexOf('\n'); end < s.length && nl !== -1; nl = slice.indexOf('\n', nl + 1))
        line++;
      start = end;
    }
  }

  /** Records each of `lines` (the first numbered `first`) that NFC changes, with the column of the first change. */
  private markLines(lines: string[], first: number): void {
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i];
      const normal = text.normalize('NFC');
      if (normal === text) continue;
      let column = 0;
      while (text.charCodeAt(column) === normal.charCodeAt(column)) column++;
      this.unnormalized ??= new Map();
      this.unnormalized.set(first + i, column + 1);
    }
  }

  private reportUnnormalized(line: number): void {
    const unnormalized = this.unnormalized as Map<number, number>;
    const column = unnormalized.get(line);
    if (column === undefined) return;
    unnormalized.delete(line);
    this.report(unicodeNfcRule, line, column, 'The line is not in Unicode normalization form C (NFC).');
  }

  private open(line: number): Sentence {
    const sentence: Sentence = {
      comments: [],
      metadata: {},
      words: [],
      tokens: [],
      emptyNodes: [],
      line,
    };
    this.cur = sentence;
    this.errors = null;
    this.warns = null;
    this.sawToken = false;
    this.broken = false;
    this.nullHeads = 0;
    this.firstNullHead = null;
    return sentence;
  }

  private report(
    rule: RuleDefinition,
    line: number,
    column: number,
    message: string,
    actual?: string,
    expected?: string,
  ): void {
    const diagnostic: Diagnostic = {
      severity: rule.severity,
      ruleId: rule.id,
      source: 'ud',
      file: this.settings.file,
      line,
      column,
      message,
    };
    if (actual !== undefined) diagnostic.actual = actual;
    if (expected !== undefined) diagnostic.expected = expected;
    if (this.cur !== null) {
      if (rule.severity === 'error') {
        if (this.errors === null) this.errors = [diagnostic];
        else this.errors.push(diagnostic);
      } else if (this.warns === null) this.warns = [diagnostic];
      else this.warns.push(diagnostic);
      return;
    }
    // Not inside a sentence (BOM, stray blank line): nothing to skip.
    if (this.strict && rule.severity === 'error') {
      if (this.fatal === null) this.fatal = diagnosticToError(diagnostic);
      return;
    }
    this.settings.onDiagnostic?.(diagnostic);
  }

  private blankLine(line: number): void {
    if (this.cur !== null) {
      this.finish();
      return;
    }
    this.report(
      extraBlankLineRule,
      line,
      1,
      line === 1
        ? 'The file starts with a blank line.'
        : 'Extra blank line: sentences are separated by exactly one.',
    );
  }

  private commentLine(s: string, ls: number, le: number, line: number): void {
    const sentence = this.cur ?? this.open(line);
    if (this.sawToken) {
      this.report(commentInSentenceRule, line, 1, 'Comment line after the first word line of the sentence.');
    }
    const text = s.slice(ls + 1, le);
    sentence.comments.push(text);
    const eq = text.indexOf('=');
    if (eq > 0) {
      const key = text.slice(0, eq).trim();
      // `__proto__` would set the object's prototype instead of a key.
      if (key.length > 0 && key.indexOf(' ') === -1 && key.indexOf('\t') === -1 && key !== '__proto__') {
        sentence.metadata[key] = text.slice(eq + 1).trim();
      }
    }
  }

  /** Parses digits at `[i, end)` into `numberValue`; returns the index after them, or -1 (none, leading zero, too long). */
  private readNumber(s: string, i: number, end: number): number {
    const first = i;
    let value = 0;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
    }
    const length = i - first;
    if (length === 0 || length > 9 || (length > 1 && s.charCodeAt(first) === 48)) return -1;
    this.numberValue = value;
    return i;
  }

  /** `s.slice(start, end)`, without allocating for one ASCII character (for columns whose values rarely repeat). */
  private plain(s: string, start: number, end: number): string {
    if (end - start === 1) {
      const c = s.charCodeAt(start);
      if (c < 128) return ASCII[c];
    }
    return s.slice(start, end);
  }

  /** `s.slice(start, end)`, from the cache when the same short value was seen recently. */
  private field(s: string, start: number, end: number, maxLength: number): string {
    const length = end - start;
    if (length === 1) {
      const c = s.charCodeAt(start);
      return c < 128 ? ASCII[c] : s.slice(start, end);
    }
    if (length > maxLength) return s.slice(start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
    const slot = (hash ^ (hash >>> 14)) & INTERN_MASK;
    const cached = this.interned[slot];
    if (cached !== undefined && cached.length === length && s.startsWith(cached, start)) return cached;
    const value = s.slice(start, end);
    this.interned[slot] = value;
    return value;
  }

  /** Position of the next whitespace character at or after `from` (cached like {@link nextTab}), or -1. */
  private nextSpace(s: string, from: number): number {
    if (this.spacePos !== -1 && this.spacePos < from) {
      WHITESPACE.lastIndex = from;
      this.spacePos = WHITESPACE.exec(s)?.index ?? -1;
    }
    return this.spacePos;
  }

  /** Reports whitespace inside columns that allow none, and runs of whitespace, once per column. */
  private innerWhitespace(s: string, ls: number, le: number, line: number): void {
    const tabs = this.tabs;
    let range = false;
    for (let i = ls; i < tabs[0] && !range; i++) range = s.charCodeAt(i) === 45;
    let reported = 0;
    for (let p = this.nextSpace(s, ls); p !== -1 && p < le; p = this.nextSpace(s, p + 1)) {
      let k = 0;
      while (k < 9 && tabs[k] < p) k++;
      const start = k === 0 ? ls : tabs[k - 1] + 1;
      const end = k < 9 ? tabs[k] : le;
      // Leading and trailing whitespace is field-whitespace.
      if (p === start || p === end - 1 || (reported & (1 << k)) !== 0) continue;
      const free = k === 9 || ((k === 1 || k === 2) && !range);
      if (!free) {
        this.report(
          internalWhitespaceRule,
          line,
          p - ls + 1,
          `Column ${k + 1} (${COLUMN_NAMES[k]}) contains whitespace${k < 3 ? ' on a multiword token line' : ''}.`,
          JSON.stringify(s.slice(start, end)),
        );
      } else if (isWhitespace(s.charCodeAt(p + 1))) {
        this.report(
          repeatedWhitespaceRule,
          line,
          p - ls + 1,
          `Column ${k + 1} (${COLUMN_NAMES[k]}) contains two whitespace characters in a row.`,
          JSON.stringify(s.slice(start, end)),
        );
      } else continue;
      reported |= 1 << k;
    }
  }

  private nextTab(s: string, from: number): number {
    // Caches the last search so that a long stretch of lines without tabs is scanned once, not once per line.
    if (this.tabPos !== -1 && this.tabPos < from) this.tabPos = s.indexOf('\t', from);
    return this.tabPos;
  }

  private tokenLine(s: string, ls: number, le: number, line: number): void {
    const sentence = this.cur ?? this.open(line);
    this.sawToken = true;
    const tabs = this.tabs;
    let count = 0;
    let from = ls;
    let t = this.tabPos;
    while (count < 9) {
      // The last search result is reused while it lies ahead, so a long stretch without tabs is scanned once.
      if (t !== -1 && t < from) t = s.indexOf('\t', from);
      if (t === -1 || t >= le) break;
      tabs[count++] = t;
      from = t + 1;
    }
    this.tabPos = t;
    let columns = count + 1;
    if (count === 9) {
      for (let t = this.nextTab(s, from); t !== -1 && t < le; t = this.nextTab(s, t + 1)) columns++;
    }
    if (columns !== 10) {
      this.broken = true;
      this.report(
        columnCountRule,
        line,
        columns > 10 ? tabs[8] - ls + 1 : 1,
        `Expected 10 tab-separated columns, found ${columns}.`,
        String(columns),
        '10',
      );
      return;
    }

    let start = ls;
    for (let k = 0; k < 10; k++) {
      const end = k < 9 ? tabs[k] : le;
      if (start === end) {
        this.report(
          emptyColumnRule,
          line,
          start - ls + 1,
          `Column ${k + 1} (${COLUMN_NAMES[k]}) is empty; write '_' for no value.`,
        );
        if (k === 0 || k === 6) this.broken = true;
      } else {
        const a = s.charCodeAt(start);
        const b = s.charCodeAt(end - 1);
        if (a <= 32 || b <= 32 || (a >= 0x85 && isWhitespace(a)) || (b >= 0x85 && isWhitespace(b))) {
          this.report(
            fieldWhitespaceRule,
            line,
            start - ls + 1,
            `Column ${k + 1} (${COLUMN_NAMES[k]}) starts or ends with whitespace.`,
            JSON.stringify(s.slice(start, end)),
          );
        }
      }
      start = end + 1;
    }
    const space = this.nextSpace(s, ls);
    if (space !== -1 && space < le) this.innerWhitespace(s, ls, le, line);
    if (tabs[0] === ls) return;

    const idEnd = tabs[0];
    let kind = 0;
    let a = 0;
    let b = 0;
    const q = this.readNumber(s, ls, idEnd);
    if (q !== -1) {
      a = this.numberValue;
      if (q === idEnd) kind = a > 0 ? 1 : 0;
      else {
        const separator = s.charCodeAt(q);
        if ((separator === 45 || separator === 46) && this.readNumber(s, q + 1, idEnd) === idEnd) {
          b = this.numberValue;
          kind = separator === 45 ? 2 : 3;
        }
      }
    }
    if (kind === 0) {
      this.broken = true;
      const id = s.slice(ls, idEnd);
      this.report(
        idFormatRule,
        line,
        1,
        `Bad ID '${id}': expected 1, 2, ..., a range such as 3-4, or an empty node such as 5.1.`,
        id,
      );
      return;
    }

    if (kind === 1) {
      const words = sentence.words;
      if (a !== words.length + 1 && !this.broken) {
        // One sequence error per sentence: after the first, every later id would be off too.
        this.broken = true;
        if (a === 1) {
          this.report(
            missingBlankLineRule,
            line,
            1,
            'Word id 1 after other words: is the blank line before this sentence missing?',
          );
        } else {
          this.report(
            wordIdSequenceRule,
            line,
            1,
            `Word id ${a} out of sequence: expected ${words.length + 1}.`,
            String(a),
            String(words.length + 1),
          );
        }
      }
      const h0 = tabs[5] + 1;
      const h1 = tabs[6];
      let head: number | null = null;
      const unset = h1 - h0 === 1 && s.charCodeAt(h0) === 95;
      if (unset) {
        this.nullHeads++;
      } else if (h1 === h0) {
        // Already reported by empty-column.
      } else if (this.readNumber(s, h0, h1) === h1) {
        head = this.numberValue;
      } else {
        const text = s.slice(h0, h1);
        this.report(
          headFormatRule,
          line,
          h0 - ls + 1,
          `HEAD '${text}' of word ${a} is not a non-negative integer.`,
          text,
        );
      }
      const word: Word = {
        id: a,
        form: this.plain(s, tabs[0] + 1, tabs[1]),
        lemma: this.plain(s, tabs[1] + 1, tabs[2]),
        upos: this.field(s, tabs[2] + 1, tabs[3], 16),
        xpos: this.field(s, tabs[3] + 1, tabs[4], 40),
        feats: this.field(s, tabs[4] + 1, tabs[5], 40),
        head,
        deprel: this.field(s, tabs[6] + 1, tabs[7], 40),
        deps: this.plain(s, tabs[7] + 1, tabs[8]),
        misc: this.field(s, tabs[8] + 1, le, 40),
        line,
      };
      if (unset && this.firstNullHead === null) this.firstNullHead = word;
      words.push(word);
    } else if (kind === 2) {
      sentence.tokens.push({
        start: a,
        end: b,
        form: s.slice(tabs[0] + 1, tabs[1]),
        misc: s.slice(tabs[8] + 1, le),
        rest: [
          s.slice(tabs[1] + 1, tabs[2]),
          s.slice(tabs[2] + 1, tabs[3]),
          s.slice(tabs[3] + 1, tabs[4]),
          s.slice(tabs[4] + 1, tabs[5]),
          s.slice(tabs[5] + 1, tabs[6]),
          s.slice(tabs[6] + 1, tabs[7]),
          s.slice(tabs[7] + 1, tabs[8]),
        ],
        line,
      });
    } else {
      const columnsOfNode: string[] = [];
      for (let k = 0; k < 9; k++) columnsOfNode.push(s.slice(tabs[k] + 1, k < 8 ? tabs[k + 1] : le));
      sentence.emptyNodes.push({ major: a, minor: b, columns: columnsOfNode, line });
    }
  }

  /** HEAD `_` is allowed only when every word has HEAD `_` and DEPREL `_` (an unannotated sentence). */
  private checkUnsetHeads(sentence: Sentence): void {
    const first = this.firstNullHead;
    if (first === null) return;
    if (this.nullHeads < sentence.words.length) {
      this.report(
        headFormatRule,
        first.line,
        1,
        `HEAD of word ${first.id} is '_' while other words of the sentence have heads.`,
        '_',
      );
      return;
    }
    const labelled = sentence.words.find((w) => w.deprel !== '_' && w.deprel !== '');
    if (labelled !== undefined) {
      this.report(
        headFormatRule,
        labelled.line,
        1,
        `HEAD of word ${labelled.id} is '_' but its DEPREL is set.`,
        '_',
      );
    }
  }

  private finish(): void {
    const sentence = this.cur as Sentence;
    if (!this.sawToken) {
      this.report(emptySentenceRule, sentence.line, 1, 'Sentence without word lines (only comments).');
    } else if (!this.broken) {
      if (sentence.words.length === 0) {
        const line = Math.min(sentence.emptyNodes[0]?.line ?? Infinity, sentence.tokens[0]?.line ?? Infinity);
        this.report(
          emptySentenceRule,
          line,
          1,
          'Sentence without words: it has only empty nodes or multiword token lines.',
        );
      }
      this.checkUnsetHeads(sentence);
      const context = this.context;
      for (const rule of SENTENCE_ERROR_RULES) rule.check?.(sentence, context);
      // Conventions are checked on sentences that are otherwise sound (NFC aside), as UD's validator does.
      if (this.settings.validatorRules && (this.errors ?? []).every((d) => d.ruleId === unicodeNfcRule.id))
        for (const rule of VALIDATOR_ONLY_RULES) rule.check?.(sentence, context);
      if (this.settings.warnings) for (const rule of SENTENCE_WARNING_RULES) rule.check?.(sentence, context);
    }
    this.cur = null;
    const { errors, warns, settings } = this;
    if (errors !== null) {
      errors.sort(byPosition);
      if (this.strict) {
        if (warns !== null) for (const warning of warns) settings.onDiagnostic?.(warning);
        this.fatal = diagnosticToError(errors[0]);
        return;
      }
      this.skipped++;
      if (settings.onDiagnostic !== undefined) {
        const all = warns === null ? errors : [...errors, ...warns].sort(byPosition);
        for (const diagnostic of all) settings.onDiagnostic(diagnostic);
      }
      if (settings.onSkip !== undefined) {
        const skipped: SkippedSentence = { line: sentence.line, diagnostics: errors };
        if (sentence.metadata.sent_id !== undefined) skipped.sentId = sentence.metadata.sent_id;
        settings.onSkip(skipped);
      }
      return;
    }
    if (warns !== null && settings.onDiagnostic !== undefined)
      for (const warning of warns) settings.onDiagnostic(warning);
    if (settings.keepSentences) this.sentences.push(sentence);
  }
}

function finalLineMessage(noFinalNewline: boolean): string {
  return noFinalNewline
    ? 'The file does not end with a newline: the last sentence needs a line end and a blank line after it.'
    : 'Missing blank line after the last sentence.';
}
