import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Opens `path` as a byte stream, gunzipping transparently when the name ends in `.gz`.
 */
export function openInputStream(path: string): Readable {
  const raw = createReadStream(path);
  if (!path.endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/**
 * Lines of a UTF-8 text file (gzip-aware), without their line ends. For formats where a byte
 * exact view matters (CoNLL-U validation), read bytes with {@link openInputStream} instead.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: openInputStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) yield line;
}
