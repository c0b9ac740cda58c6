import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFolderError } from '@xling/core';

/** Reads `name` (a JSON object) from model folder `dir`; ModelFolderError when missing or corrupt. */
export async function readJsonFile(
  dir: string,
  name: string,
  required: boolean,
): Promise<Record<string, unknown> | undefined> {
  const path = join(dir, name);
  if (!existsSync(path)) {
    if (!required) return undefined;
    throw new ModelFolderError(dir, `${name} is missing.`, [name]);
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ModelFolderError(dir, `${name} is not valid JSON: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFolderError(dir, `${name} must hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}
