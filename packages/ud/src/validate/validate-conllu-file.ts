import { InvalidArgumentError, openInputStream, XlingError } from '@xling/core';
import { LineRegions, MAX_LINE_BYTES } from '../conllu/line-regions.js';
import type { Diagnostic } from './diagnostic.js';
import { createValidator, sortDiagnostics, type ValidateConlluOptions } from './validate-conllu.js';

/**
 * {@link validateConllu} for a file, streamed (gunzipped when the path ends in `.gz`), so
 * memory stays small for any file size. A file that cannot be read or gunzipped gives one
 * diagnostic (`read-error` / `gzip`) rather than a throw.
 *
 * @param path - The CoNLL-U file.
 * @param options - See {@link ValidateConlluOptions}; `file` defaults to `path`.
 * @returns Diagnostics in line order; empty for a valid file.
 * @throws XLING_INVALID_ARGUMENT for bad options or a non-string path.
 * @throws XLING_LIMIT_EXCEEDED for a line longer than `options.maxLineBytes` (default {@link MAX_LINE_BYTES}), naming the file and line.
 * @example
 * for (const d of await validateConlluFile('en_ewt-ud-dev.conllu.gz')) console.log(formatDiagnostic(d));
 */
export async function validateConlluFile(
  path: string,
  options?: ValidateConlluOptions,
): Promise<Diagnostic[]> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError(
      'path',
      'validateConlluFile',
      `must be a non-empty string, but got ${String(path)}.`,
    );
  }
  const { parser, diagnostics, full } = createValidator(options, path, 'validateConlluFile');
  const file = options?.file ?? path;
  const lines = new LineRegions(file, options?.maxLineBytes ?? MAX_LINE_BYTES, () => parser.lineNo);
  const input = openInputStream(path);
  try {
    for await (const chunk of input) {
      const region = lines.push(chunk as Buffer);
      if (region === null) continue;
      parser.pushBytes(region, false);
      if (full()) break;
    }
    if (!full()) parser.pushBytes(lines.end(), true);
  } catch (error) {
    if (XlingError.isInstance(error)) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    const gz = typeof code === 'string' && code.startsWith('Z_');
    diagnostics.push({
      severity: 'error',
      ruleId: gz ? 'gzip' : 'read-error',
      source: 'ud',
      file,
      line: 0,
      column: 0,
      message: gz
        ? `Not a valid gzip file (${(error as Error).message}).`
        : `Cannot read the file: ${(error as Error).message}`,
    });
  } finally {
    input.destroy();
  }
  return sortDiagnostics(diagnostics);
}
