import { InvalidArgumentError } from '@xling/core';
import { ConlluParser } from './conllu-parser.js';
import { type ConlluReadOptions, settingsFrom } from './conllu-read-options.js';
import type { Sentence } from './types.js';

/**
 * Parses a whole CoNLL-U document held in memory: all 10 columns, comments and `# key = value`
 * metadata, multiword token ranges, empty nodes and enhanced DEPS, every column kept raw so that
 * {@link stringifyConllu} gives back the same bytes. Bytes are checked for UTF-8 (a string
 * cannot be). Every sentence is validated with the error rules of {@link validateConllu}.
 *
 * @see https://universaldependencies.org/format.html (CoNLL-U)
 * @param text - The document, as a string or as UTF-8 bytes.
 * @param options - See {@link ConlluReadOptions}.
 * @returns The sentences in file order (in lenient mode, those without errors).
 * @throws XLING_FILE_FORMAT (strict mode) at the first error, as `file:line:column: message (ruleId)`.
 * @throws XLING_INVALID_ARGUMENT for bad options.
 * @example
 * const [sentence] = parseConllu('1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n\n');
 * sentence.words[0].upos; // 'INTJ'
 */
export function parseConllu(text: string | Uint8Array, options?: ConlluReadOptions): Sentence[] {
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      'text',
      'parseConllu',
      `must be a string or a Uint8Array, but got ${typeof text}.`,
    );
  }
  const parser = new ConlluParser(settingsFrom(options, '<input>', 'parseConllu'));
  if (typeof text === 'string') parser.push(text, true);
  else parser.pushBytes(text, true);
  if (parser.fatal !== null) throw parser.fatal;
  return parser.sentences;
}
