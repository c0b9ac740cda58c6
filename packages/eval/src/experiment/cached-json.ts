import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@xling/core';

/**
 * Returns the JSON stored at `path`, or computes it, writes it atomically and returns it. The
 * unit of resumption of an experiment: a stage that finished is never run again, a stage that
 * was interrupted left no file and runs again from the start.
 */
export async function cachedJson<T>(path: string, compute: () => Promise<T>): Promise<T> {
  if (existsSync(path)) return JSON.parse(await readFile(path, 'utf8')) as T;
  const value = await compute();
  await writeFileAtomic(path, `${JSON.stringify(value)}\n`);
  return value;
}
