import type { Sentence } from './types.js';

function appendSentence(out: string, sentence: Sentence): string {
  const { comments, words, tokens, emptyNodes } = sentence;
  for (let i = 0; i < comments.length; i++) out += '#' + comments[i] + '\n';
  let t = 0;
  let e = 0;
  while (e < emptyNodes.length && emptyNodes[e].major === 0) {
    const node = emptyNodes[e++];
    out += node.major + '.' + node.minor + '\t' + node.columns.join('\t') + '\n';
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    while (t < tokens.length && tokens[t].start <= w.id) {
      const token = tokens[t++];
      out +=
        token.start +
        '-' +
        token.end +
        '\t' +
        token.form +
        '\t' +
        token.rest.join('\t') +
        '\t' +
        token.misc +
        '\n';
    }
    out +=
      w.id +
      '\t' +
      w.form +
      '\t' +
      w.lemma +
      '\t' +
      w.upos +
      '\t' +
      w.xpos +
      '\t' +
      w.feats +
      '\t' +
      (w.head === null ? '_' : w.head) +
      '\t' +
      w.deprel +
      '\t' +
      w.deps +
      '\t' +
      w.misc +
      '\n';
    while (e < emptyNodes.length && emptyNodes[e].major <= w.id) {
      const node = emptyNodes[e++];
      out += node.major + '.' + node.minor + '\t' + node.columns.join('\t') + '\n';
    }
  }
  // Lines that valid CoNLL-U would have placed earlier still get written, never dropped.
  while (t < tokens.length) {
    const token = tokens[t++];
    out +=
      token.start +
      '-' +
      token.end +
      '\t' +
      token.form +
      '\t' +
      token.rest.join('\t') +
      '\t' +
      token.misc +
      '\n';
  }
  while (e < emptyNodes.length) {
    const node = emptyNodes[e++];
    out += node.major + '.' + node.minor + '\t' + node.columns.join('\t') + '\n';
  }
  return out + '\n';
}

/**
 * Writes sentences as CoNLL-U text: comments (`#` + the stored text), then for each word its
 * range lines, the word line and its empty nodes, then a blank line. Columns are written as
 * stored, so `stringifyConllu(parseConllu(text)) === text` for every valid file (tested on every
 * file of the shared UD copy).
 *
 * @see https://universaldependencies.org/format.html (CoNLL-U)
 * @param sentences - Sentences (from the reader, or built by hand with the `Sentence` shape).
 * @returns The document, ending with the blank line after the last sentence.
 * @example
 * stringifyConllu(parseConllu(text)) === text; // true for valid CoNLL-U
 */
export function stringifyConllu(sentences: Iterable<Sentence>): string {
  let out = '';
  for (const sentence of sentences) out = appendSentence(out, sentence);
  return out;
}
