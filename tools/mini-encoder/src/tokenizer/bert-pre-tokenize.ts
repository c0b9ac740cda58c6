/**
 * Hugging Face `BertNormalizer` with `clean_text: true`, `handle_chinese_chars: true`,
 * `strip_accents: false`, `lowercase: false` (cased, accents kept): control characters, U+0000
 * and U+FFFD are removed, whitespace becomes a space, CJK ideographs get spaces around them.
 *
 * @see https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/bert.rs
 */
export function bertNormalize(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    if (isWhitespace(ch)) out += ' ';
    else if (isChineseChar(cp)) out += ` ${ch} `;
    else out += ch;
  }
  return out;
}

/**
 * Hugging Face `BertPreTokenizer`: splits on whitespace (dropped) and on punctuation (each
 * punctuation character its own piece).
 *
 * @see https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/pre_tokenizers/bert.rs
 */
export function bertPreTokenize(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const ch of text) {
    if (isWhitespace(ch)) {
      if (current !== '') pieces.push(current);
      current = '';
    } else if (isBertPunctuation(ch)) {
      if (current !== '') pieces.push(current);
      pieces.push(ch);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

const CONTROL = /^[\p{Cc}\p{Cf}\p{Co}\p{Cn}]$/u;
const WHITESPACE = /^\s$/u;
const PUNCTUATION = /^\p{P}$/u;

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || WHITESPACE.test(ch);
}

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL.test(ch);
}

/** ASCII non-alphanumeric printable characters count as punctuation, as in BERT. */
function isBertPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (
    (cp >= 33 && cp <= 47) ||
    (cp >= 58 && cp <= 64) ||
    (cp >= 91 && cp <= 96) ||
    (cp >= 123 && cp <= 126)
  ) {
    return true;
  }
  return PUNCTUATION.test(ch);
}

function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}
