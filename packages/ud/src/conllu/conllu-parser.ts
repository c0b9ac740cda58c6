import { isUtf8 } from 'node:buffer';
import { FileFormatError } from '@xling/core';
import type { Diagnostic } from '../validate/diagnostic.js';
import type { RuleContext, RuleDefinition } from '../validate/rule.js';
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
  invalidUtf8Rule,
  missingBlankLineRule,
  SENTENCE_ERROR_RULES,
  SENTENCE_WARNING_RULES,
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
  onDiagnostic?: (diagnostic: Diagnostic) => void;
  onSkip?: (skipped: SkippedSentence) => void;
}

// Single-character ASCII strings, so `_` (the commonest value of most columns) is never allocated.
const ASCII: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const INTERN_SIZE = 1 << 14;
const INTERN_MASK = INTERN_SIZE - 1;

const COLUMN_NAMES = ['ID', 'FORM', 'LEMMA', 'UPOS', 'XPOS', 'FEATS', 'HEAD', 'DEPREL', 'DEPS', 'MISC'];

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
  private readonly tabs = new Int32Array(9);
  private tabPos = -2;
  private numberValue = 0;
  // Direct-mapped cache of short column values: treebanks repeat the same UPOS, FEATS, DEPREL and
  // frequent forms and lemmas on most lines, so reusing one string instead of slicing a new one
  // removes most per-word allocations (and garbage collection was the largest cost).
  private readonly interned: Array<string | undefined> = new Array(INTERN_SIZE);
  private readonly context: RuleContext;

  constructor(settings: ParserSettings) {
    this.settings = settings;
    this.strict = settings.mode === 'strict';
    this.context = {
      report: (rule, line, column, message, actual, expected) =>
        this.report(rule, line, column, message, actual, expected),
      sentIds: new Map(),
    };
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
        if (a <= 32 || b <= 32 || a === 0xa0 || b === 0xa0 || a === 0x3000 || b === 0x3000) {
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

  private finish(): void {
    const sentence = this.cur as Sentence;
    if (!this.sawToken) {
      this.report(emptySentenceRule, sentence.line, 1, 'Sentence without word lines (only comments).');
    } else if (!this.broken) {
      const first = this.firstNullHead;
      if (first !== null && this.nullHeads < sentence.words.length) {
        this.report(
          headFormatRule,
          first.line,
          1,
          `HEAD of word ${first.id} is '_' while other words of the sentence have heads.`,
          '_',
        );
      } else if (first !== null && first.deprel !== '_') {
        this.report(
          headFormatRule,
          first.line,
          1,
          `HEAD of word ${first.id} is '_' but its DEPREL is set.`,
          '_',
        );
      }
      const context = this.context;
      for (const rule of SENTENCE_ERROR_RULES) rule.check?.(sentence, context);
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
