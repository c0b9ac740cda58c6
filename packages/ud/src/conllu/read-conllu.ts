import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  checkOptions,
  FileFormatError,
  InvalidArgumentError,
  openInputStream,
  throwIfAborted,
  XlingError,
} from '@xling/core';
import { ConlluParser } from './conllu-parser.js';
import { checkSignal, type ReadConlluOptions, settingsFrom } from './conllu-read-options.js';
import { LineRegions, MAX_LINE_BYTES } from './line-regions.js';
import type { Sentence } from './types.js';

function wrapStreamError(error: unknown, file: string, path: string | undefined): unknown {
  if (XlingError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new FileFormatError(
      {
        file,
        line: 0,
        column: 0,
        ruleId: 'gzip',
        reason: `Not a valid gzip file (${(error as Error).message}).`,
      },
      { cause: error },
    );
  }
  if (
    path !== undefined &&
    typeof code === 'string' &&
    (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
  ) {
    return new InvalidArgumentError(
      'source',
      'readConllu',
      `must name a readable file, but '${path}' gave ${code}.`,
      {
        cause: error,
      },
    );
  }
  return error;
}

/**
 * Reads CoNLL-U as an async iterable of sentences from a path (gunzipped transparently when it
 * ends in `.gz`) or from a byte stream, with constant memory: chunks are cut at their last line
 * end, checked for UTF-8 natively, decoded once and tokenized with `indexOf`. Sentences, columns,
 * metadata, ranges, empty nodes and checks are those of {@link parseConllu}.
 *
 * @see https://universaldependencies.org/format.html (CoNLL-U)
 * @param source - A file path, or a `Readable` / async iterable of bytes (or strings).
 * @param options - See {@link ReadConlluOptions}.
 * @returns An async iterable of sentences in file order.
 * @throws XLING_FILE_FORMAT (strict mode) at the first error, after yielding the sentences before it; also for a corrupt gzip file (ruleId `gzip`).
 * @throws XLING_INVALID_ARGUMENT for bad options or a path that cannot be read.
 * @throws XLING_ABORTED when `options.signal` fires.
 * @throws XLING_LIMIT_EXCEEDED for a line longer than `options.maxLineBytes` (default {@link MAX_LINE_BYTES}), naming the file and line.
 * @example
 * for await (const sentence of readConllu('en_ewt-ud-dev.conllu.gz')) console.log(sentence.metadata.sent_id);
 */
export async function* readConllu(
  source: string | Readable | AsyncIterable<Uint8Array | string>,
  options?: ReadConlluOptions,
): AsyncGenerator<Sentence, void, undefined> {
  const { signal, onProgress, maxLineBytes = MAX_LINE_BYTES, ...rest } = options ?? {};
  checkSignal(signal, 'readConllu');
  checkOptions({ maxLineBytes }, { maxLineBytes: { type: 'integer', min: 1 } }, 'readConllu');
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidArgumentError(
      'options.onProgress',
      'readConllu',
      `must be a function, but got ${typeof onProgress}.`,
    );
  }
  const path = typeof source === 'string' ? source : undefined;
  if (
    path === undefined &&
    (typeof source !== 'object' || source === null || !(Symbol.asyncIterator in source))
  ) {
    throw new InvalidArgumentError(
      'source',
      'readConllu',
      `must be a path or a readable stream, but got ${typeof source}.`,
    );
  }
  const settings = settingsFrom(rest, path ?? '<stream>', 'readConllu');
  const parser = new ConlluParser(settings);
  const sentences = parser.sentences;
  let total: number | undefined;
  if (path !== undefined && onProgress !== undefined && !path.endsWith('.gz')) {
    total = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
  }
  onProgress?.({ status: 'start', task: 'read-conllu', label: settings.file, total, unit: 'byte' });
  let done = 0;
  const input = path !== undefined ? openInputStream(path) : (source as AsyncIterable<Uint8Array | string>);
  const lines = new LineRegions(settings.file, maxLineBytes, () => parser.lineNo);
  let finished = false;
  try {
    for await (const chunk of input) {
      throwIfAborted(signal, 'readConllu');
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk, 'utf8')
          : Buffer.isBuffer(chunk)
            ? chunk
            : Buffer.from(chunk);
      done += bytes.length;
      const region = lines.push(bytes);
      if (region === null) continue;
      parser.pushBytes(region, false);
      for (let i = 0; i < sentences.length; i++) yield sentences[i];
      sentences.length = 0;
      if (parser.fatal !== null) throw parser.fatal;
      onProgress?.({
        status: 'progress',
        task: 'read-conllu',
        label: settings.file,
        done,
        total,
        unit: 'byte',
      });
    }
    finished = true;
  } catch (error) {
    throw wrapStreamError(error, settings.file, path);
  } finally {
    // The consumer stopped early (break) or reading failed: release the file.
    if (!finished && path !== undefined) (input as Readable).destroy();
  }
  parser.pushBytes(lines.end(), true);
  for (let i = 0; i < sentences.length; i++) yield sentences[i];
  sentences.length = 0;
  if (parser.fatal !== null) throw parser.fatal;
  onProgress?.({ status: 'end', task: 'read-conllu', label: settings.file, done, total, unit: 'byte' });
}
