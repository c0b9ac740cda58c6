import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { FileSystemError, writeFileAtomic } from '@xling/core';

/** Name of the checksum list a download folder keeps (the format of `sha256sum`). */
export const CHECKSUM_FILE = 'SHA256SUMS';

/**
 * Records the SHA-256 of each downloaded file in `<dir>/SHA256SUMS`, one `<hex>  <path>` line per
 * file relative to `dir` (what `sha256sum -c SHA256SUMS` checks), replacing older lines for the
 * same paths. A download without an expected checksum is then still verifiable later, and a
 * changed file is caught by comparing against this record.
 */
export async function recordChecksums(
  dir: string,
  files: ReadonlyArray<{ path: string; sha256: string }>,
): Promise<void> {
  const listPath = join(dir, CHECKSUM_FILE);
  const lines = new Map<string, string>();
  const previous = await readFile(listPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw FileSystemError.from(error, 'read', listPath);
  });
  for (const line of previous.split('\n')) {
    const match = /^[0-9a-f]{64} {2}(.+)$/.exec(line);
    if (match) lines.set(match[1]!, line);
  }
  for (const file of files) {
    const name = relative(dir, file.path).split(sep).join('/');
    lines.set(name, `${file.sha256}  ${name}`);
  }
  const text = `${[...lines.values()].join('\n')}\n`;
  await writeFileAtomic(listPath, text).catch((error) => {
    throw FileSystemError.from(error, 'write', listPath);
  });
}
