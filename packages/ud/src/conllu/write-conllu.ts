import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { InvalidArgumentError, writeFileAtomic } from '@xling/core';
import { stringifyConllu } from './stringify-conllu.js';
import type { Sentence } from './types.js';

const gzipAsync = promisify(gzip);

/**
 * Writes sentences to a CoNLL-U file atomically (temporary file, fsync, rename), gzipped when
 * the path ends in `.gz`. The text is that of {@link stringifyConllu}.
 *
 * @param path - Output file.
 * @param sentences - Sentences, from an array or from {@link readConllu}.
 * @throws XLING_INVALID_ARGUMENT when `path` is not a non-empty string.
 * @example
 * await writeConllu('out.conllu.gz', readConllu('in.conllu'));
 */
export async function writeConllu(
  path: string,
  sentences: Iterable<Sentence> | AsyncIterable<Sentence>,
): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError(
      'path',
      'writeConllu',
      `must be a non-empty string, but got ${String(path)}.`,
    );
  }
  let text: string;
  if (Symbol.asyncIterator in sentences) {
    const all: Sentence[] = [];
    for await (const sentence of sentences as AsyncIterable<Sentence>) all.push(sentence);
    text = stringifyConllu(all);
  } else {
    text = stringifyConllu(sentences as Iterable<Sentence>);
  }
  await writeFileAtomic(path, path.endsWith('.gz') ? await gzipAsync(text, { level: 9 }) : text);
}
